using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace YTeSo.EndToEndTests.Infrastructure;

/// <summary>
/// The real YTeSo host on Kestrel (loopback, free port) with a fresh SQLite folder and a small synthetic demo
/// province seeded on start, plus one headless Debian Chromium driven by Playwright. Browser tests skip with a clear
/// message when Chromium is not installed (.ci/run installs it).
/// </summary>
public sealed class DemoSite : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Citizens in the seeded demo province: few, so start-up stays quick.</summary>
    public const int DemoCitizens = 12;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "yteso-e2e", Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public DemoSite()
    {
        UseKestrel(0);
    }

    public IBrowser? Browser { get; private set; }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    /// <summary>Where screenshots of key pages go (kept by CI as artifacts).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string? ChromiumPath { get; } = new[] { Environment.GetEnvironmentVariable("YTESO_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Outside Development, package assets (MudBlazor's CSS and JS) are served only from a publish folder unless asked.
        builder.UseStaticWebAssets();
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataDirectory", _dataDirectory);
        builder.UseSetting("Demo:SeedOnFirstStart", "true");
        builder.UseSetting("Demo:Patients", DemoCitizens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The demo province, whose boundary the facility map draws when ../shared/data/geo has it.
        builder.UseSetting("Registry:ProvinceCode", "66");

        // Tests run over plain HTTP on loopback; the first administrator comes from configuration as in a deployment.
        builder.UseSetting("Security:RequireHttps", "false");
        builder.UseSetting("Security:BootstrapAdmin:UserName", AdminUserName);
        builder.UseSetting("Security:BootstrapAdmin:Password", AdminPassword);
        builder.UseSetting("Security:LockoutAttempts", "3");
        // Citizens' codes go to the SMS simulator, where the browser tests read them.
        builder.UseSetting("Security:Sms:Provider", "Simulator");
        // A deployment client that may manage accounts (tests create their own staff through the account API).
        builder.UseSetting("Security:Clients:0:ClientId", "e2e-deploy");
        builder.UseSetting("Security:Clients:0:Secret", DeploySecret);
        builder.UseSetting("Security:Clients:0:Scopes", "yteso/accounts system/*.cruds");
    }

    public const string AdminUserName = "quan-tri";
    public const string AdminPassword = "Quan-tri-2026";
    private const string DeploySecret = "e2e-deploy-secret-0123456789";

    /// <summary>An HttpClient acting as the province-wide deployment client (client credentials, real token).</summary>
    public async Task<HttpClient> CreateApiClientAsync()
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        using var tokenResponse = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "e2e-deploy",
            ["client_secret"] = DeploySecret,
            ["scope"] = "yteso/accounts system/*.cruds",
        }));
        var token = System.Text.Json.JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Creates a staff account through the account API with the deployment client's token.</summary>
    public async Task CreateStaffAsync(string userName, string password, string facilityId, string role)
    {
        using var http = await CreateApiClientAsync();
        var body = System.Text.Json.JsonSerializer.Serialize(new { userName, displayName = "Nhân viên " + userName, password, assignments = new[] { new { facilityId, role } } });
        using var created = await http.PostAsync("api/access/accounts", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    public async ValueTask InitializeAsync()
    {
        if (ChromiumPath is null)
        {
            return;
        }

        StartServer();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine's network is closed: without these flags Chromium keeps trying to reach Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page (own cookies) at the given viewport; skips the test when there is no browser.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        if (Browser is null)
        {
            Assert.Skip("Chromium is not installed (apt-get install chromium; .ci/run does it): browser tests need a real browser.");
        }

        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "vi-VN",
        });
        // Generous limits: CI machines have two cores shared by the server, the browser and the test runner.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page already signed in as the Department administrator (through the sign-in form).</summary>
    public async Task<IPage> NewSignedInPageAsync(int width = 1280, int height = 900)
    {
        var page = await NewPageAsync(width, height);
        await SignInAsync(page, AdminUserName, AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/dang-nhap", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Fills and submits the sign-in form.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/dang-nhap");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=sign-in-submit]");
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open; the temp folder is cleaned by the OS
        }
    }
}
