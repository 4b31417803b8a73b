using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Validation.AspNetCore;
using YTeSo.Access.Accounts;
using YTeSo.Access.Authorization;
using YTeSo.Access.Bootstrap;
using YTeSo.Access.BreakGlass;
using YTeSo.Access.CitizenHome;
using YTeSo.Access.CitizenSignIn;
using YTeSo.Access.Contracts;
using YTeSo.Access.EnrolAuthenticator;
using YTeSo.Access.ManageAccounts;
using YTeSo.Access.Persistence;
using YTeSo.Access.SearchAuditTrail;
using YTeSo.Access.SignIn;
using YTeSo.Access.Sms;
using YTeSo.Access.Tokens;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Persistence;

namespace YTeSo.Access;

/// <summary>
/// Who may do what: staff accounts and sign-in (ASP.NET Core Identity), OAuth 2 / SMART on FHIR for systems and apps
/// (OpenIddict), the per-request <see cref="FhirAccess"/> the repository enforces, and break-glass. docs/security.md.
/// </summary>
public static class AccessModule
{
    /// <summary>The authentication scheme that picks a bearer token for APIs and the staff cookie for pages.</summary>
    public const string Scheme = "YTeSo";

    private const string SessionCookie = "yteso.session";

    public static IServiceCollection AddAccess(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.From(configuration);
        var options = AccessOptions.From(configuration);
        services.AddSingleton(options);
        var keys = options.KeysDirectory ?? Path.Combine(database.DataDirectory, "keys");

        services.AddModuleDbContext<AccessDbContext, SqliteAccessDbContext, PostgresAccessDbContext>(database, "access.db", PostgresAccessDbContext.Schema);

        // Cookies and antiforgery tokens stay valid across restarts only if the key ring is kept.
        services.AddDataProtection().SetApplicationName("YTeSo").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(keys, "data-protection")));

        services.AddIdentityCore<StaffAccount>(identity =>
            {
                identity.Password.RequiredLength = 10;
                identity.Password.RequireDigit = true;
                identity.Password.RequireLowercase = true;
                identity.Password.RequireUppercase = true;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Lockout.MaxFailedAccessAttempts = options.LockoutAttempts;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(options.LockoutMinutes);
                identity.Lockout.AllowedForNewUsers = true;
                identity.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<AccessDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders();
        // OWASP password storage (2023): PBKDF2-HMAC-SHA512 with at least 210,000 iterations (Identity v3 format).
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultForbidScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Bearer token or staff session", o => o.ForwardDefaultSelector = SelectScheme)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = SessionCookie;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = options.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/dang-nhap";
            cookie.LogoutPath = "/dang-xuat";
            cookie.AccessDeniedPath = "/khong-co-quyen";
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.SessionMinutes);
            cookie.SlidingExpiration = true;
        });
        // Citizens (ADR 0009): a session of their own, never the staff cookie.
        var citizenSignIn = CitizenSignInOptions.From(configuration);
        services.AddAuthentication().AddCookie(CitizenSession.Scheme, cookie => CitizenSession.Configure(cookie, citizenSignIn, options.RequireHttps));
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<AccessDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetEndSessionEndpointUris("connect/logout");
                server.AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowRefreshTokenFlow();
                // SMART scopes are combinations (context/Type.cruds): the token endpoint narrows them itself (SmartScope.Grant).
                server.DisableScopeValidation();
                server.IgnoreScopePermissions();
                // Signed JWTs that any resource server can verify from /.well-known/jwks; no patient data in them.
                server.DisableAccessTokenEncryption();
                server.AddSigningKey(TokenKeys.Load(keys, "token-signing"));
                server.AddEncryptionKey(TokenKeys.Load(keys, "token-encryption"));
                server.SetAccessTokenLifetime(TimeSpan.FromMinutes(options.AccessTokenMinutes));
                var aspNetCore = server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (!options.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });

        services.AddScoped<IFhirAccessResolver, AccessResolver>();
        services.AddScoped<AccessBootstrap>();
        services.AddSingleton<SmartLaunch>();
        services.AddScoped<SignInService>();
        services.AddScoped<AuthenticatorEnrolment>();
        services.AddScoped<AuditTrailSearch>();
        services.AddScoped<BreakGlassRegister>();
        services.AddSingleton<TokenPruning>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenPruning>());
        services.AddSingleton(citizenSignIn);
        services.AddSingleton<SimulatedSmsGateway>();
        services.AddSingleton<ISmsGateway>(SmsOptions.Choose);
        services.AddScoped<CitizenSignInHandler>();
        services.AddScoped<CitizenBreakGlassRegister>();
        return services;
    }

    /// <summary>Creates or upgrades the Access tables and applies the bootstrap configuration.</summary>
    public static async Task InitializeAccessAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccessBootstrap>().RunAsync(cancellationToken);
        // An unknown Security:Sms:Provider stops the start, rather than the first citizen's sign-in.
        scope.ServiceProvider.GetRequiredService<ISmsGateway>();
    }

    /// <summary>Authentication and authorization in the pipeline; call before mapping any endpoint.</summary>
    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>OAuth endpoints, SMART configuration, sign-out and break-glass.</summary>
    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/connect/token", ["POST"], TokenEndpoint.Handle).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeEndpoint.Handle).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapGet("/.well-known/smart-configuration", SmartConfiguration.Handle).AllowAnonymous();
        ManageAccountsEndpoints.Map(endpoints);
        BreakGlassEndpoints.Map(endpoints);
        SearchAuditTrailEndpoint.Map(endpoints);
        endpoints.MapPost("/dang-xuat", SignOutEndpoint.Handle).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        endpoints.MapPost("/cong-dan/dang-xuat", CitizenSignOutEndpoint.Handle).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        endpoints.MapGet("/api/citizen/break-glass", CitizenBreakGlassEndpoint.Handle).WithTags("Access");
        return endpoints;
    }

    /// <summary>
    /// Bearer tokens for anything that sends one and for every API path (so an API answers 401, never a login page);
    /// the citizen session on the citizen pages (and, with its cookie, on /fhir and /api/citizen); the staff session
    /// cookie for the other pages.
    /// </summary>
    private static string SelectScheme(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        }

        // A signed-in staff member may open FHIR JSON from the UI's "open in API" links: reads only, so a forged
        // cross-site form can never change data with the session cookie (SameSite=Lax also stops it).
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments("/fhir") && context.Request.Cookies.ContainsKey(SessionCookie))
        {
            return IdentityConstants.ApplicationScheme;
        }

        if (CitizenSession.Applies(context))
        {
            return CitizenSession.Scheme;
        }

        if (IsApi(context.Request.Path))
        {
            return OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        }

        return IdentityConstants.ApplicationScheme;
    }

    internal static bool IsApi(PathString path) =>
        path.StartsWithSegments("/fhir") || path.StartsWithSegments("/api") || path.StartsWithSegments("/connect");
}
