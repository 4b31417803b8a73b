using Microsoft.Extensions.Configuration;

namespace YTeSo.Platform.Persistence;

/// <summary>Which database engine stores YTeSo's data. SQLite needs no set-up; PostgreSQL is for production.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file per store, in WAL mode.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (jsonb bodies, one schema per module).</summary>
    Postgres,
}

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Database";

    /// <summary>The engine; <c>Database:Provider</c> = <c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for SQLite files; created when missing.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>PostgreSQL connection string (<c>ConnectionStrings:Postgres</c> wins when set).</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// The settings as every part of the host reads them: the <c>Database</c> section, with
    /// <c>ConnectionStrings:Postgres</c> winning when it is set.
    /// </summary>
    public static DatabaseOptions From(IConfiguration configuration)
    {
        var options = new DatabaseOptions();
        configuration.GetSection(Section).Bind(options);
        var fromConnectionStrings = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(fromConnectionStrings))
        {
            options.PostgresConnectionString = fromConnectionStrings;
        }

        return options;
    }
}
