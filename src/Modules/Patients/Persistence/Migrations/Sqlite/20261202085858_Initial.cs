using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace YTeSo.Patients.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
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
                name: "mpi_blocking_keys",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mpi_blocking_keys", x => new { x.Key, x.PatientId });
                });

            migrationBuilder.CreateTable(
                name: "mpi_non_matches",
                columns: table => new
                {
                    PatientA = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PatientB = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mpi_non_matches", x => new { x.PatientA, x.PatientB });
                });

            migrationBuilder.CreateTable(
                name: "mpi_review_items",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CandidateId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Weight = table.Column<double>(type: "REAL", nullable: false),
                    Probability = table.Column<double>(type: "REAL", nullable: false),
                    Rule = table.Column<string>(type: "TEXT", nullable: true),
                    Conflict = table.Column<string>(type: "TEXT", nullable: true),
                    Fields = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mpi_review_items", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mpi_sources",
                columns: table => new
                {
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    GoldenId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Person = table.Column<string>(type: "TEXT", nullable: false),
                    FacilityCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Weight = table.Column<double>(type: "REAL", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mpi_sources", x => x.PatientId);
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

            migrationBuilder.CreateIndex(
                name: "IX_mpi_blocking_keys_PatientId",
                table: "mpi_blocking_keys",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_mpi_review_items_PatientId_CandidateId",
                table: "mpi_review_items",
                columns: new[] { "PatientId", "CandidateId" });

            migrationBuilder.CreateIndex(
                name: "IX_mpi_review_items_Status_CreatedAt",
                table: "mpi_review_items",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_mpi_sources_FacilityCode",
                table: "mpi_sources",
                column: "FacilityCode");

            migrationBuilder.CreateIndex(
                name: "IX_mpi_sources_GoldenId",
                table: "mpi_sources",
                column: "GoldenId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MergedReferences");

            migrationBuilder.DropTable(
                name: "mpi_blocking_keys");

            migrationBuilder.DropTable(
                name: "mpi_non_matches");

            migrationBuilder.DropTable(
                name: "mpi_review_items");

            migrationBuilder.DropTable(
                name: "mpi_sources");

            migrationBuilder.DropTable(
                name: "Merges");
        }
    }
}
