using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace YTeSo.Access.Persistence;

/// <summary>For <c>dotnet ef migrations add X --context SqliteAccessDbContext -o Persistence/Migrations/Sqlite</c>.</summary>
internal sealed class SqliteAccessDbContextFactory : IDesignTimeDbContextFactory<SqliteAccessDbContext>
{
    public SqliteAccessDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAccessDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add X --context PostgresAccessDbContext -o Persistence/Migrations/Postgres</c>.</summary>
internal sealed class PostgresAccessDbContextFactory : IDesignTimeDbContextFactory<PostgresAccessDbContext>
{
    public PostgresAccessDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAccessDbContext>()
            .UseNpgsql("Host=localhost", o => o.MigrationsHistoryTable("__ef_migrations", PostgresAccessDbContext.Schema))
            .Options);
}
