using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace YTeSo.Registry.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddLicensing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "licence_applications",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Status = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    AccessKeyHash = table.Column<byte[]>(type: "bytea", nullable: false),
                    ApplicantName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PersonalId = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Profession = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RequestedScope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    FacilityCode = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LicenceNumber = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    LicenceSequence = table.Column<long>(type: "bigint", nullable: true),
                    IssuedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    GrantedScope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PractitionerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    VerificationCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_licence_applications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "licence_application_attachments",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApplicationId = table.Column<long>(type: "bigint", nullable: false),
                    StepId = table.Column<long>(type: "bigint", nullable: true),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_licence_application_attachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_licence_application_attachments_licence_applications_Applic~",
                        column: x => x.ApplicationId,
                        principalSchema: "registry",
                        principalTable: "licence_applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "licence_application_steps",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApplicationId = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Action = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Note = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_licence_application_steps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_licence_application_steps_licence_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalSchema: "registry",
                        principalTable: "licence_applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_licence_application_attachments_ApplicationId",
                schema: "registry",
                table: "licence_application_attachments",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_licence_application_steps_ApplicationId",
                schema: "registry",
                table: "licence_application_steps",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_licence_applications_Kind_LicenceSequence",
                schema: "registry",
                table: "licence_applications",
                columns: new[] { "Kind", "LicenceSequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_licence_applications_LicenceNumber",
                schema: "registry",
                table: "licence_applications",
                column: "LicenceNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_licence_applications_Number",
                schema: "registry",
                table: "licence_applications",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_licence_applications_Status_SubmittedAt",
                schema: "registry",
                table: "licence_applications",
                columns: new[] { "Status", "SubmittedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "licence_application_attachments",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "licence_application_steps",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "licence_applications",
                schema: "registry");
        }
    }
}
