using Npgsql;

namespace YTeSo.Platform.Persistence;

/// <summary>PostgreSQL set-up shared by every store that lives in the configured database.</summary>
public static class PostgresDatabase
{
    /// <summary>Creates the database named in the connection string when it does not exist (first start, CI).</summary>
    public static async Task EnsureExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database ?? throw new InvalidOperationException("The PostgreSQL connection string names no database.");
        builder.Database = "postgres";
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // created concurrently by another process: fine
            }
        }
    }
}
