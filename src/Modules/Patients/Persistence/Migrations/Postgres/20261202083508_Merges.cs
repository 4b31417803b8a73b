using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace YTeSo.Patients.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Merges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "patients");

            migrationBuilder.CreateTable(
                name: "Merges",
                schema: "patients",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SourcePatientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetPatientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ActorId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ActorDisplay = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MergedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    SourceVersionBefore = table.Column<int>(type: "integer", nullable: false),
                    SourceVersionAfter = table.Column<int>(type: "integer", nullable: true),
                    TargetVersionBefore = table.Column<int>(type: "integer", nullable: false),
                    TargetVersionAfter = table.Column<int>(type: "integer", nullable: true),
                    SourceWasActive = table.Column<bool>(type: "boolean", nullable: true),
                    UndoneAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UndoneById = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    UndoReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Merges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MergedReferences",
                schema: "patients",
                columns: table => new
                {
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    MergeId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResourceType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    VersionBefore = table.Column<int>(type: "integer", nullable: false),
                    VersionAfter = table.Column<int>(type: "integer", nullable: true),
                    Paths = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergedReferences", x => new { x.MergeId, x.Ordinal });
                    table.ForeignKey(
                        name: "FK_MergedReferences_Merges_MergeId",
                        column: x => x.MergeId,
                        principalSchema: "patients",
                        principalTable: "Merges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Merges_SourcePatientId",
                schema: "patients",
                table: "Merges",
                column: "SourcePatientId");

            migrationBuilder.CreateIndex(
                name: "IX_Merges_TargetPatientId",
                schema: "patients",
                table: "Merges",
                column: "TargetPatientId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MergedReferences",
                schema: "patients");

            migrationBuilder.DropTable(
                name: "Merges",
                schema: "patients");
        }
    }
}
