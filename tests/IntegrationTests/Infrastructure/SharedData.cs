namespace YTeSo.IntegrationTests.Infrastructure;

/// <summary>
/// Finds the public sample data kept beside the repository (<c>../shared/data</c>), or where <c>YTESO_SHARED</c>
/// points. Tests that need it skip with a clear message when it is absent; .ci/run always provides it.
/// </summary>
internal static class SharedData
{
    public static string? Directory { get; } = Locate();

    public static string RequireFile(string relativePath)
    {
        var path = Directory is null ? null : Path.Combine(Directory, relativePath);
        if (path is null || !File.Exists(path))
        {
            Assert.Skip($"Shared sample data '{relativePath}' not found (looked in ../shared/data beside the repository and $YTESO_SHARED); this test needs it.");
        }

        return path!;
    }

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("YTESO_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.Combine(fromEnvironment, "data");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "YTeSo.slnx")))
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
                return System.IO.Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }
        }

        return null;
    }
}
