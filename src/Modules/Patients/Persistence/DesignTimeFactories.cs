using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace YTeSo.Patients.Persistence;

/// <summary>For <c>dotnet ef migrations add X --context SqlitePatientsDbContext -o Persistence/Migrations/Sqlite</c>.</summary>
internal sealed class SqlitePatientsDbContextFactory : IDesignTimeDbContextFactory<SqlitePatientsDbContext>
{
    public SqlitePatientsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePatientsDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add X --context PostgresPatientsDbContext -o Persistence/Migrations/Postgres</c>.</summary>
internal sealed class PostgresPatientsDbContextFactory : IDesignTimeDbContextFactory<PostgresPatientsDbContext>
{
    public PostgresPatientsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPatientsDbContext>()
            .UseNpgsql("Host=localhost", o => o.MigrationsHistoryTable("__ef_migrations", PostgresPatientsDbContext.Schema))
            .Options);
}
