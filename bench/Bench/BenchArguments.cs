using System.Globalization;

using Npgsql;

namespace YTeSo.Bench;

/// <summary>The command line shared by the subcommands: <c>--name value</c> pairs, with defaults that suit this machine.</summary>
internal sealed class BenchArguments(Dictionary<string, string> values)
{
    public const string DefaultPostgres = "Host=127.0.0.1;Username=yteso;Password=yteso";

    public string Db => Get("db", "sqlite").ToLowerInvariant();

    public bool IsPostgres => Db == "postgres";

    public int Patients => Int("patients", 1000);

    /// <summary>The dataset folder: the SQLite file and, for both engines, the sample of ids the load runs use.</summary>
    public string DataDirectory => Path.GetFullPath(Get("data", Path.Combine("bench-data", $"{Db}-{Patients}")));

    /// <summary>The PostgreSQL database of a dataset; our own prefix so we never touch anyone else's.</summary>
    public string PostgresConnectionString => new NpgsqlConnectionStringBuilder(Get("pg", DefaultPostgres))
    {
        Database = Get("pg-database", "yteso_bench_" + Path.GetFileName(DataDirectory).Replace('-', '_')),
        MaxPoolSize = Int("pg-pool", 100),
    }.ToString();

    public int Connections => Int("connections", 32);

    public int Seconds => Int("seconds", 30);

    /// <summary>How many times the <c>access</c> benchmark alternates its two callers.</summary>
    public int Rounds => Int("rounds", 3);

    public int WarmupSeconds => Int("warmup", 5);

    public int Writers => Int("writers", IsPostgres ? 3 : 2);

    public int Port => Int("port", 5188);

    /// <summary>The server's build output; Release unless <c>--server</c> says otherwise.</summary>
    public string ServerAssembly => Get("server", Path.Combine(RepositoryRoot(), "artifacts", "bin", "Web", "release", "YTeSo.Web.dll"));

    public string Get(string name, string fallback) => values.TryGetValue(name, out var value) ? value : fallback;

    public int Int(string name, int fallback) => values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public Dictionary<string, string> ServerSettings() => IsPostgres
        ? new() { ["Database__Provider"] = "Postgres", ["ConnectionStrings__Postgres"] = PostgresConnectionString, ["Database__DataDirectory"] = DataDirectory }
        : new() { ["Database__Provider"] = "Sqlite", ["Database__DataDirectory"] = DataDirectory };

    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value', got '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        return new BenchArguments(values);
    }

    public static int Usage()
    {
        Console.WriteLine("""
            YTeSo benchmarks (figures and exact commands: docs/benchmarks.md)
              seed   --db sqlite|postgres --patients N [--data DIR] [--writers W]     load synthetic citizens once
              sample --db sqlite|postgres --data DIR                                  derive the sample from the database (stopped seed)
              read   --db sqlite|postgres --data DIR [--connections K] [--seconds S]  read by id over HTTP
              search --db sqlite|postgres --data DIR [--connections K] [--seconds S]  provincial search mix over HTTP
              ingest --db sqlite|postgres --source synthea|demo [--patients N] [--via import|transactions] [--keep DIR]
              audit  --db sqlite|postgres [--writers N] [--seconds S]                 audit records/s from N parallel callers (fresh trail)
              access --db sqlite|postgres --data COPY [--connections K] [--seconds S] [--rounds R] [--http true]  read and search mix province-wide vs facility-scoped (in process, or through the web host with tokens)
              mpi    --people N [--seed S] [--admin-units DIR] [--match-threshold P] [--explain Distortion]  matcher accuracy (P/R/F1), real-time and batch speed
              mpi-host --people N [--db sqlite|postgres] [--linking on|off]        Patient writes/s with real-time linking in the platform
              terminology [--codes 12000] [--seconds S]                           ValueSet/$expand with accent-free filters over a synthetic ICD-10-sized list, over HTTP
            """);
        return 2;
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "YTeSo.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
