using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace YTeSo.Patients.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
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
                name: "mpi_blocking_keys",
                schema: "patients",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(96)", maxLength: 96, nullable: false),
                    PatientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mpi_blocking_keys", x => new { x.Key, x.PatientId });
                });

            migrationBuilder.CreateTable(
                name: "mpi_non_matches",
                schema: "patients",
                columns: table => new
                {
                    PatientA = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PatientB = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mpi_non_matches", x => new { x.PatientA, x.PatientB });
                });

            migrationBuilder.CreateTable(
                name: "mpi_review_items",
                schema: "patients",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PatientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CandidateId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Weight = table.Column<double>(type: "double precision", nullable: false),
                    Probability = table.Column<double>(type: "double precision", nullable: false),
                    Rule = table.Column<string>(type: "text", nullable: true),
                    Conflict = table.Column<string>(type: "text", nullable: true),
                    Fields = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mpi_review_items", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mpi_sources",
                schema: "patients",
                columns: table => new
                {
                    PatientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    GoldenId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Person = table.Column<string>(type: "text", nullable: false),
                    FacilityCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Origin = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Weight = table.Column<double>(type: "double precision", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mpi_sources", x => x.PatientId);
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

            migrationBuilder.CreateIndex(
                name: "IX_mpi_blocking_keys_PatientId",
                schema: "patients",
                table: "mpi_blocking_keys",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_mpi_review_items_PatientId_CandidateId",
                schema: "patients",
                table: "mpi_review_items",
                columns: new[] { "PatientId", "CandidateId" });

            migrationBuilder.CreateIndex(
                name: "IX_mpi_review_items_Status_CreatedAt",
                schema: "patients",
                table: "mpi_review_items",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_mpi_sources_FacilityCode",
                schema: "patients",
                table: "mpi_sources",
                column: "FacilityCode");

            migrationBuilder.CreateIndex(
                name: "IX_mpi_sources_GoldenId",
                schema: "patients",
                table: "mpi_sources",
                column: "GoldenId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MergedReferences",
                schema: "patients");

            migrationBuilder.DropTable(
                name: "mpi_blocking_keys",
                schema: "patients");

            migrationBuilder.DropTable(
                name: "mpi_non_matches",
                schema: "patients");

            migrationBuilder.DropTable(
                name: "mpi_review_items",
                schema: "patients");

            migrationBuilder.DropTable(
                name: "mpi_sources",
                schema: "patients");

            migrationBuilder.DropTable(
                name: "Merges",
                schema: "patients");
        }
    }
}
