using Microsoft.Data.Sqlite;

namespace YTeSo.Platform.Persistence;

/// <summary>How every SQLite store opens its file (<c>fhir.db</c>, <c>audit.db</c>).</summary>
public static class SqliteFile
{
    /// <summary>
    /// A pooled connection string for <paramref name="path"/>, creating its folder. The 60 s busy timeout covers a
    /// second process (the <c>yteso</c> command beside the web host) holding the file's write lock.
    /// </summary>
    public static string ConnectionString(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }
}
