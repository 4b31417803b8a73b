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

    public const string TestClientId = "integration-tests";
    public const string TestClientSecret = "integration-tests-secret-0123456789";

    private string? _token;

    public Uri FhirBase => new(ClientOptions.BaseAddress, "fhir/");

    /// <summary>The host's data folder (SQLite files, export files, keys).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>An access token of the test client (client credentials, real token endpoint).</summary>
    public string AccessToken => _token ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Every client from <see cref="WebApplicationFactory{T}.CreateClient()"/> carries the test client's token.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (_token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }
    }

    /// <summary>An HttpClient with no credentials at all.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = new HttpClient { BaseAddress = ClientOptions.BaseAddress };
        return client;
    }

    /// <summary>Asks the token endpoint for a client-credentials token.</summary>
    public async Task<string> RequestTokenAsync(string clientId, string secret, string scope)
    {
        using var http = CreateAnonymousClient();
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token request failed: {(int)response.StatusCode} {body}");
        }

        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// Who the FHIR API thinks is calling: the real resolver (from the token) unless a filter test sets an explicit
    /// access (see <see cref="TestAccessResolver"/>).
    /// </summary>
    public TestAccessResolver Access { get; } = new();

    /// <summary>The command-line options that point the <c>yteso</c> command at this host's database.</summary>
    public IReadOnlyList<string> CliDatabaseArguments => _postgres is null ? ["--data", _dataDirectory] : ["--postgres", _postgres];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:DataDirectory", _dataDirectory);
        builder.UseSetting("Demo:SeedOnFirstStart", "false");
        // Tests talk plain HTTP over loopback; production requires HTTPS (docs/security.md).
        builder.UseSetting("Security:RequireHttps", "false");
        builder.UseSetting("Security:AccessTokenMinutes", "120");
        // A province-wide system client that may do everything: the tests of the repository itself act through it.
        // Access rules are proven by the tests under Access/, with clients and staff of their own.
        builder.UseSetting("Security:Clients:0:ClientId", TestClientId);
        builder.UseSetting("Security:Clients:0:Secret", TestClientSecret);
        builder.UseSetting("Security:Clients:0:Scopes", "system/*.cruds yteso/accounts");
        builder.UseSetting("Security:Clients:0:SeesSensitive", "true");
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

        // The repository filter tests pin an access per test; every other request is resolved from its real token.
        builder.ConfigureTestServices(services => services.AddScoped<IFhirAccessResolver>(sp => Access.For(sp)));
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

    public virtual async ValueTask InitializeAsync()
    {
        StartServer();
        _token = await RequestTokenAsync(TestClientId, TestClientSecret, "system/*.cruds yteso/accounts");
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
