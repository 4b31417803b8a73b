using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using YTeSo.Fhir;
using YTeSo.Patients;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;
using YTeSo.Registry;

namespace YTeSo.Cli;

/// <summary>The options every command that opens the database shares, and the repository built from them.</summary>
internal sealed record DatabaseArguments(string? DataDirectory, string? Postgres)
{
    /// <summary>Takes --data and --postgres out of <paramref name="args"/>; returns the rest.</summary>
    public static (DatabaseArguments Database, List<string> Others) Parse(IReadOnlyList<string> args)
    {
        string? data = null, postgres = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Count:
                    data = args[++i];
                    break;
                case "--postgres" when i + 1 < args.Count:
                    postgres = args[++i];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        return (new DatabaseArguments(data, postgres), rest);
    }

    /// <summary>
    /// The same configuration keys as the web host (environment variables Database__Provider, Database__DataDirectory,
    /// ConnectionStrings__Postgres), with --data and --postgres winning. Without either, SQLite goes where
    /// <c>dotnet run --project src/Web</c> keeps it: the web project's content root holds <c>data/</c>.
    /// </summary>
    public IConfiguration ToConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var settings = new Dictionary<string, string?>();
        if (Postgres is not null)
        {
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Postgres"] = Postgres;
        }

        settings["Database:DataDirectory"] = DataDirectory ?? configuration["Database:DataDirectory"] ?? DefaultDataDirectory();
        return new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings).Build();
    }

    public async Task<ServiceProvider> OpenRepositoryAsync(CancellationToken cancellationToken)
    {
        var configuration = ToConfiguration();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration).AddFhir(configuration).BuildServiceProvider();
        await services.InitializeFhirAsync(cancellationToken);

        // Every repository call is audited, trusted console work included (FhirAccess.System).
        await services.InitializeAuditTrailAsync(cancellationToken);
        return services;
    }

    /// <summary>
    /// The repository with the master patient index and the Registry it translates commune codes with. The MPI's
    /// real-time linker is registered too, but nothing hands it changes here: the web host's outbox worker does that.
    /// </summary>
    public async Task<ServiceProvider> OpenMasterPatientIndexAsync(CancellationToken cancellationToken)
    {
        var configuration = ToConfiguration();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration).AddFhir(configuration)
            .AddRegistry(configuration).AddPatients(configuration).BuildServiceProvider();
        await services.InitializeFhirAsync(cancellationToken);
        await services.InitializeAuditTrailAsync(cancellationToken);
        await services.InitializeRegistryAsync(cancellationToken);
        await services.InitializePatientsAsync(cancellationToken);
        return services;
    }

    /// <summary>The audit trail alone: the audit commands need neither the FHIR store nor its migrations.</summary>
    public async Task<ServiceProvider> OpenAuditTrailAsync(CancellationToken cancellationToken)
    {
        var services = new ServiceCollection().AddLogging().AddPlatform(ToConfiguration()).BuildServiceProvider();
        await services.InitializeAuditTrailAsync(cancellationToken);
        return services;
    }

    public static string Describe(IServiceProvider services)
    {
        var options = services.GetRequiredService<DatabaseOptions>();
        return options.Provider == DatabaseProvider.Postgres
            ? $"PostgreSQL database '{new Npgsql.NpgsqlConnectionStringBuilder(options.PostgresConnectionString).Database}'"
            : $"SQLite in {Path.GetFullPath(options.DataDirectory)}";
    }

    private static string DefaultDataDirectory()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "YTeSo.slnx")))
            {
                return Path.Combine(dir.FullName, "src", "Web", "data");
            }
        }

        return "data";
    }
}
