using Npgsql;

namespace YTeSo.IntegrationTests.Infrastructure;

/// <summary>
/// Which database the integration tests run on: SQLite unless the environment says
/// <c>Database__Provider=Postgres</c> with <c>ConnectionStrings__Postgres</c> (as .ci/run does).
/// </summary>
internal static class TestDatabase
{
    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("Database__Provider"), "Postgres", StringComparison.OrdinalIgnoreCase);

    public static string Name => IsPostgres ? "PostgreSQL" : "SQLite";

    /// <summary>A connection string to a fresh database of its own, so test classes never see each other's data.</summary>
    public static string NewPostgresDatabase()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? throw new InvalidOperationException("Database__Provider=Postgres needs ConnectionStrings__Postgres.");
        var builder = new NpgsqlConnectionStringBuilder(configured)
        {
            Database = "yteso_test_" + Guid.NewGuid().ToString("N")[..16],
        };
        return builder.ToString();
    }

    public static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database!;
        builder.Database = "postgres";
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
