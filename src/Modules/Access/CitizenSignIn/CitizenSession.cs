using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace YTeSo.Access.CitizenSignIn;

/// <summary>
/// The citizen's web session: a cookie of its own (<c>yteso.citizen</c>), never mixed with the staff session, that
/// authenticates only the citizen pages (<c>/cong-dan</c>), the citizen API (<c>/api/citizen</c>) and the FHIR API.
/// On <c>/fhir</c> the session holds read and search scopes only, so even a forged cross-site write is refused (403).
/// </summary>
internal static class CitizenSession
{
    public const string Scheme = "YTeSo.Citizen";
    public const string Cookie = "yteso.citizen";
    public const string SignInPath = "/cong-dan/dang-nhap";
    public const string HomePath = "/cong-dan";

    public static void Configure(CookieAuthenticationOptions cookie, CitizenSignInOptions options, bool requireHttps)
    {
        cookie.Cookie.Name = Cookie;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        cookie.LoginPath = SignInPath;
        cookie.LogoutPath = HomePath + "/dang-xuat";
        cookie.AccessDeniedPath = SignInPath;
        // Shorter than the staff session: citizens sign in from shared and borrowed phones.
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.SessionMinutes);
        cookie.SlidingExpiration = true;
        cookie.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
        cookie.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
    }

    /// <summary>Whether the request is one the citizen session answers for (see the class summary).</summary>
    public static bool Applies(HttpContext context)
    {
        var path = context.Request.Path;
        return path.StartsWithSegments(HomePath)
            || (context.Request.Cookies.ContainsKey(Cookie) && (path.StartsWithSegments("/fhir") || path.StartsWithSegments("/api/citizen")));
    }

    /// <summary>APIs answer 401/403; pages go to the citizen sign-in page.</summary>
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (AccessModule.IsApi(context.Request.Path))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
