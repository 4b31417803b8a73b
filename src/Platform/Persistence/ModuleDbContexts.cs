using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace YTeSo.Platform.Persistence;

/// <summary>
/// How a module registers its own <c>DbContext</c> (architecture guide §6): one database file per module on SQLite
/// (SQLite has no schemas), one schema per module on PostgreSQL with its own migrations-history table. The base type
/// is what the module's code asks for; the engine's derived context owns that engine's migrations.
/// </summary>
public static class ModuleDbContexts
{
    public static IServiceCollection AddModuleDbContext<TContext, TSqlite, TPostgres>(
        this IServiceCollection services, DatabaseOptions database, string sqliteFile, string postgresSchema)
        where TContext : DbContext
        where TSqlite : TContext
        where TPostgres : TContext
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Provider == DatabaseProvider.Postgres
            ? services.AddDbContext<TContext, TPostgres>(o => o.UseNpgsql(
                database.PostgresConnectionString,
                npgsql => npgsql.MigrationsHistoryTable("__ef_migrations", postgresSchema)))
            : services.AddDbContext<TContext, TSqlite>(o => o.UseSqlite(SqliteFile.ConnectionString(Path.Combine(database.DataDirectory, sqliteFile))));
    }
}
