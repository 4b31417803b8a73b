using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace YTeSo.Patients.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Merges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Merges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourcePatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TargetPatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActorDisplay = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    MergedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceVersionBefore = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceVersionAfter = table.Column<int>(type: "INTEGER", nullable: true),
                    TargetVersionBefore = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetVersionAfter = table.Column<int>(type: "INTEGER", nullable: true),
                    SourceWasActive = table.Column<bool>(type: "INTEGER", nullable: true),
                    UndoneAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    UndoneById = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UndoReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Merges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MergedReferences",
                columns: table => new
                {
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    MergeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResourceType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    VersionBefore = table.Column<int>(type: "INTEGER", nullable: false),
                    VersionAfter = table.Column<int>(type: "INTEGER", nullable: true),
                    Paths = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergedReferences", x => new { x.MergeId, x.Ordinal });
                    table.ForeignKey(
                        name: "FK_MergedReferences_Merges_MergeId",
                        column: x => x.MergeId,
                        principalTable: "Merges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Merges_SourcePatientId",
                table: "Merges",
                column: "SourcePatientId");

            migrationBuilder.CreateIndex(
                name: "IX_Merges_TargetPatientId",
                table: "Merges",
                column: "TargetPatientId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MergedReferences");

            migrationBuilder.DropTable(
                name: "Merges");
        }
    }
}
