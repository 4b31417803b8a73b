using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace YTeSo.Access.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CitizenSignInCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CitizenSignInCodes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PhoneKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CodeHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PatientIds = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    SourceIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CitizenSignInCodes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CitizenSignInCodes_CreatedAt",
                table: "CitizenSignInCodes",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_CitizenSignInCodes_PhoneKey_CreatedAt",
                table: "CitizenSignInCodes",
                columns: new[] { "PhoneKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CitizenSignInCodes_SourceIp_CreatedAt",
                table: "CitizenSignInCodes",
                columns: new[] { "SourceIp", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CitizenSignInCodes");
        }
    }
}
