using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace YTeSo.Registry.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddLicensing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "licence_applications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Number = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    AccessKeyHash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ApplicantName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PersonalId = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Profession = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedScope = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    FacilityCode = table.Column<string>(type: "TEXT", maxLength: 5, nullable: true),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    LicenceNumber = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    LicenceSequence = table.Column<long>(type: "INTEGER", nullable: true),
                    IssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    GrantedScope = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    PractitionerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    VerificationCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_licence_applications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "licence_application_attachments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicationId = table.Column<long>(type: "INTEGER", nullable: false),
                    StepId = table.Column<long>(type: "INTEGER", nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_licence_application_attachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_licence_application_attachments_licence_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "licence_applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "licence_application_steps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicationId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_licence_application_steps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_licence_application_steps_licence_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "licence_applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_licence_application_attachments_ApplicationId",
                table: "licence_application_attachments",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_licence_application_steps_ApplicationId",
                table: "licence_application_steps",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_licence_applications_Kind_LicenceSequence",
                table: "licence_applications",
                columns: new[] { "Kind", "LicenceSequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_licence_applications_LicenceNumber",
                table: "licence_applications",
                column: "LicenceNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_licence_applications_Number",
                table: "licence_applications",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_licence_applications_Status_SubmittedAt",
                table: "licence_applications",
                columns: new[] { "Status", "SubmittedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "licence_application_attachments");

            migrationBuilder.DropTable(
                name: "licence_application_steps");

            migrationBuilder.DropTable(
                name: "licence_applications");
        }
    }
}
