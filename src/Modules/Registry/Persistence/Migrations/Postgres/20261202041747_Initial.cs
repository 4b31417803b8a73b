using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace YTeSo.Registry.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "registry");

            migrationBuilder.CreateTable(
                name: "administrative_units",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    Level = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ParentCode = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    ProvinceCode = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    ValidTo = table.Column<DateOnly>(type: "date", nullable: true),
                    Latitude = table.Column<double>(type: "double precision", nullable: true),
                    Longitude = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_administrative_units", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commune_successions",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LegacyLevel = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    LegacyCode = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    CurrentCode = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    Divided = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commune_successions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_administrative_units_Level_Code_ValidFrom",
                schema: "registry",
                table: "administrative_units",
                columns: new[] { "Level", "Code", "ValidFrom" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commune_successions_CurrentCode",
                schema: "registry",
                table: "commune_successions",
                column: "CurrentCode");

            migrationBuilder.CreateIndex(
                name: "IX_commune_successions_LegacyLevel_LegacyCode_CurrentCode",
                schema: "registry",
                table: "commune_successions",
                columns: new[] { "LegacyLevel", "LegacyCode", "CurrentCode" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "administrative_units",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "commune_successions",
                schema: "registry");
        }
    }
}
