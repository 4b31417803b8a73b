using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace YTeSo.Registry.Persistence;

/// <summary>For <c>dotnet ef migrations add X --context SqliteRegistryDbContext -o Persistence/Migrations/Sqlite</c>.</summary>
internal sealed class SqliteRegistryDbContextFactory : IDesignTimeDbContextFactory<SqliteRegistryDbContext>
{
    public SqliteRegistryDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRegistryDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add X --context PostgresRegistryDbContext -o Persistence/Migrations/Postgres</c>.</summary>
internal sealed class PostgresRegistryDbContextFactory : IDesignTimeDbContextFactory<PostgresRegistryDbContext>
{
    public PostgresRegistryDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRegistryDbContext>()
            .UseNpgsql("Host=localhost", o => o.MigrationsHistoryTable("__ef_migrations", PostgresRegistryDbContext.Schema))
            .Options);
}
