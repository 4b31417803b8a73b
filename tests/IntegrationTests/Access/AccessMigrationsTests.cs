using Microsoft.EntityFrameworkCore;
using YTeSo.Access.Persistence;

namespace YTeSo.IntegrationTests.Access;

/// <summary>Both migration sets of the Access tables (SQLite and PostgreSQL) match the model: none was forgotten.</summary>
public sealed class AccessMigrationsTests
{
    [Fact]
    public void Neither_engine_has_model_changes_without_a_migration()
    {
        using var sqlite = new SqliteAccessDbContextFactory().CreateDbContext([]);
        using var postgres = new PostgresAccessDbContextFactory().CreateDbContext([]);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "dotnet ef migrations add X --context SqliteAccessDbContext -o Persistence/Migrations/Sqlite");
        Assert.False(postgres.Database.HasPendingModelChanges(), "dotnet ef migrations add X --context PostgresAccessDbContext -o Persistence/Migrations/Postgres");
    }
}
