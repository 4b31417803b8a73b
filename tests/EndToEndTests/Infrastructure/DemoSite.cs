using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;

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

        // TEMPORARY: province-wide access for the browser until the Access module signs staff in.
        builder.ConfigureTestServices(services => services.AddSingleton<IFhirAccessResolver>(new ProvinceWideResolver()));
    }

    /// <summary>TEMPORARY test wiring (see IntegrationTests' TestAccessResolver): every page sees the whole province.</summary>
    private sealed class ProvinceWideResolver : IFhirAccessResolver
    {
        public ValueTask<FhirAccess> ResolveAsync(HttpContext context, CancellationToken cancellationToken) => ValueTask.FromResult(new FhirAccess
        {
            Actor = new AuditActor("end-to-end-tests", "end-to-end-tests"),
            Scopes = new Dictionary<string, FhirInteractions> { ["*"] = FhirInteractions.All },
        });
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
