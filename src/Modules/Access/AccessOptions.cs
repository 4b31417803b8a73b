using Microsoft.Extensions.Configuration;
using YTeSo.Platform.Persistence;

namespace YTeSo.Access;

/// <summary>
/// Settings of the <c>Security</c> configuration section. Secrets (passwords, client secrets) come from environment
/// variables or a secret store, never from files in the repository; see the README and docs/security.md.
/// </summary>
public sealed class AccessOptions
{
    public const string Section = "Security";

    /// <summary>The <c>Security</c> section, with the demo settings taken from <c>Demo</c> and <c>Database</c>.</summary>
    public static AccessOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<AccessOptions>() ?? new AccessOptions();
        options.DemoAdministrator = configuration.GetValue<bool>("Demo:SeedOnFirstStart");
        options.DemoSignInFolder = DatabaseOptions.From(configuration).DataDirectory;
        return options;
    }

    /// <summary>Refuse OAuth requests over plain HTTP (true in production; TLS may end at a reverse proxy).</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Lifetime of access tokens; SMART Backend Services recommends at most five minutes, 15 is the ceiling here.</summary>
    public int AccessTokenMinutes { get; set; } = 15;

    /// <summary>How long an emergency (break-glass) opening lasts.</summary>
    public int BreakGlassMinutes { get; set; } = 60;

    /// <summary>Staff web sessions end after this long without activity.</summary>
    public int SessionMinutes { get; set; } = 480;

    /// <summary>Wrong passwords in a row before the account is locked, and for how long.</summary>
    public int LockoutAttempts { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    /// <summary>The FHIR Organization id of the Department of Health; province-wide roles are held there.</summary>
    public string DepartmentOrganizationId { get; set; } = "so-y-te";

    /// <summary>Folder for the token signing and encryption keys (PEM) and the data-protection key ring; default: the data folder's <c>keys</c>.</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>The first administrator, created when no staff account exists yet.</summary>
    public BootstrapAdministrator? BootstrapAdmin { get; set; }

    /// <summary>
    /// Demo start only: with no configured administrator, create <c>admin</c> with a random password written to
    /// <c>demo-sign-in.txt</c> in <see cref="DemoSignInFolder"/> (set from <c>Demo:SeedOnFirstStart</c>).
    /// </summary>
    public bool DemoAdministrator { get; set; }

    /// <summary>Where the demo sign-in file goes (the data folder).</summary>
    public string DemoSignInFolder { get; set; } = "data";

    /// <summary>System clients (and SMART apps) created or updated at every start from configuration.</summary>
    public List<ConfiguredClient> Clients { get; set; } = [];

    /// <summary>Origins allowed to call the FHIR API from a browser (CORS); none by default.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Requests per minute per client or account (and per IP for sign-in and token requests).</summary>
    /// <remarks>High enough for a hospital system pushing a day's data (500 requests/s), low enough to stop a runaway loop.</remarks>
    public int RequestsPerMinute { get; set; } = 30_000;

    public int SignInAttemptsPerMinute { get; set; } = 30;
}

/// <summary>The first Department administrator (<c>Security:BootstrapAdmin:*</c>).</summary>
public sealed class BootstrapAdministrator
{
    public string UserName { get; set; } = "admin";

    public string? Password { get; set; }

    public string DisplayName { get; set; } = "Quản trị hệ thống";
}

/// <summary>
/// An OAuth client from configuration (<c>Security:Clients:N:*</c>). A system client authenticates with a signed JWT
/// (<see cref="JwksPath"/> or <see cref="Jwks"/>: SMART Backend Services) or, for automation on a trusted network, a
/// secret; an app acting for users gives <see cref="RedirectUris"/>.
/// </summary>
public sealed class ConfiguredClient
{
    public string ClientId { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    /// <summary>Client secret (client_secret_basic / client_secret_post); prefer a JWKS.</summary>
    public string? Secret { get; set; }

    /// <summary>The client's public keys as a JWKS document, inline.</summary>
    public string? Jwks { get; set; }

    /// <summary>The client's public keys as a JWKS file.</summary>
    public string? JwksPath { get; set; }

    /// <summary>Space-separated SMART scopes the client may ask for, e.g. <c>system/Patient.rs system/Observation.cruds</c>.</summary>
    public string Scopes { get; set; } = string.Empty;

    /// <summary>The facility (FHIR Organization id) the client acts for; empty for a province-wide client.</summary>
    public string? FacilityId { get; set; }

    /// <summary>Whether the client may see sensitive labels (only a treating facility's HIS should).</summary>
    public bool SeesSensitive { get; set; }

    /// <summary>For SMART apps (authorization code + PKCE): where the user is sent back.</summary>
    public List<string> RedirectUris { get; set; } = [];
}
