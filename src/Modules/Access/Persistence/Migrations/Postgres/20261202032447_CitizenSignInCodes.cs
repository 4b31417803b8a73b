using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace YTeSo.Access.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CitizenSignInCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CitizenSignInCodes",
                schema: "access",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PhoneKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PatientIds = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    SourceIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CitizenSignInCodes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CitizenSignInCodes_CreatedAt",
                schema: "access",
                table: "CitizenSignInCodes",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_CitizenSignInCodes_PhoneKey_CreatedAt",
                schema: "access",
                table: "CitizenSignInCodes",
                columns: new[] { "PhoneKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CitizenSignInCodes_SourceIp_CreatedAt",
                schema: "access",
                table: "CitizenSignInCodes",
                columns: new[] { "SourceIp", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CitizenSignInCodes",
                schema: "access");
        }
    }
}
