using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir.Contracts;

namespace YTeSo.IntegrationTests.Infrastructure;

/// <summary>
/// The real YTeSo host on Kestrel over loopback HTTP, with its own fresh database (a temporary SQLite folder, or a
/// new PostgreSQL database when the tests run on PostgreSQL). One per test class; tests create their own data.
/// </summary>
public class YTeSoApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "yteso-tests", Guid.NewGuid().ToString("N"));
    private readonly string? _postgres = TestDatabase.IsPostgres ? TestDatabase.NewPostgresDatabase() : null;

    public YTeSoApp()
    {
        UseKestrel(0);
    }

    /// <summary>Extra configuration a test class needs (e.g. referential integrity off for reference material).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public Uri FhirBase => new(ClientOptions.BaseAddress, "fhir/");

    /// <summary>Who the FHIR API and the pages think is calling (temporary, see <see cref="TestAccessResolver"/>).</summary>
    public TestAccessResolver Access { get; } = new();

    /// <summary>The command-line options that point the <c>yteso</c> command at this host's database.</summary>
    public IReadOnlyList<string> CliDatabaseArguments => _postgres is null ? ["--data", _dataDirectory] : ["--postgres", _postgres];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:DataDirectory", _dataDirectory);
        builder.UseSetting("Demo:SeedOnFirstStart", "false");
        if (_postgres is not null)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Postgres", _postgres);
        }
        else
        {
            builder.UseSetting("Database:Provider", "Sqlite");
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        // TEMPORARY: province-wide access for every request until the Access module issues real tokens.
        builder.ConfigureTestServices(services => services.AddSingleton<IFhirAccessResolver>(Access));
    }

    /// <summary>An HttpClient whose base address is the FHIR endpoint, asking for FHIR JSON.</summary>
    public HttpClient CreateFhirClient()
    {
        var client = CreateClient();
        client.BaseAddress = FhirBase;
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        client.Timeout = TimeSpan.FromMinutes(5);
        return client;
    }

    public virtual ValueTask InitializeAsync()
    {
        StartServer();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (_postgres is not null)
        {
            await TestDatabase.DropPostgresDatabaseAsync(_postgres);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open on some platforms; the temp folder is cleaned by the OS
        }
    }
}
