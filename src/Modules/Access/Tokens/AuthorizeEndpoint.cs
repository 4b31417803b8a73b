using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using YTeSo.Access.Authorization;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace YTeSo.Access.Tokens;

/// <summary>
/// <c>/connect/authorize</c> (SMART App Launch, authorization code + PKCE): the staff member signs in on the hub's
/// own page if needed; the app receives a code for at most the scopes the user's role allows. With
/// <c>launch/patient</c>, the patient comes from an EHR launch (<see cref="SmartLaunch"/>), created only for a patient
/// the user may see.
/// </summary>
internal static class AuthorizeEndpoint
{
    /// <summary>Non-clinical scopes an app may receive as asked.</summary>
    private static readonly HashSet<string> ContextScopes = [Scopes.OpenId, Scopes.OfflineAccess, "fhirUser", "launch", "launch/patient"];

    public static async Task<IResult> Handle(HttpContext context, SmartLaunch launches)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle this request.");
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return OAuthRefusal.Of(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back to this very request once signed in.
            var parameters = context.Request.HasFormContentType ? [.. context.Request.Form] : context.Request.Query.ToList();
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters.Where(p => p.Key != Parameters.Prompt));
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [IdentityConstants.ApplicationScheme]);
        }

        var user = session.Principal!;
        var role = user.GetClaim(AccessClaims.Role);
        if (role is null)
        {
            return OAuthRefusal.Of(Errors.AccessDenied, "This account holds no role at any facility.");
        }

        var requested = request.GetScopes();
        string? patient = null;
        if (request.GetParameter("launch")?.ToString() is { Length: > 0 } launch)
        {
            patient = launches.Open(launch, user.GetClaim(Claims.Subject) ?? user.FindFirstValue(ClaimTypes.NameIdentifier)!);
            if (patient is null)
            {
                return OAuthRefusal.Of(Errors.InvalidRequest, "The launch parameter is unknown, expired or was made for another user.");
            }
        }
        else if (requested.Contains("launch/patient"))
        {
            return OAuthRefusal.Of(Errors.InvalidRequest, "launch/patient needs an EHR launch: open the app from the patient's chart (launch parameter).");
        }

        // patient/ scopes are judged as the user's own (user/) rights, then confined to the launch patient.
        var roleScopes = RolePermissions.Scopes(role);
        var clinical = requested.Select(SmartScope.TryParse).OfType<SmartScope>().Where(s => s.Context != SmartScope.System).ToList();
        var granted = clinical
            .Where(s => s.Context == SmartScope.User || patient is not null)
            .SelectMany(s => SmartScope.Grant([s with { Context = SmartScope.User }], roleScopes).Select(g => g with { Context = s.Context }))
            .ToList();
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.FindFirstValue(ClaimTypes.NameIdentifier));
        identity.SetClaim(Claims.Name, user.GetClaim(Claims.Name) ?? user.FindFirstValue(ClaimTypes.Name));
        identity.SetClaim(AccessClaims.Kind, AccessClaims.Staff);
        identity.SetClaim(AccessClaims.Facility, user.GetClaim(AccessClaims.Facility));
        identity.SetClaim(AccessClaims.Role, role);
        identity.SetClaim(AccessClaims.Patient, patient);
        identity.SetScopes(requested.Where(ContextScopes.Contains).Concat(granted.Select(g => g.ToString())).Distinct());
        identity.SetDestinations(claim => claim.Type is Claims.Subject or Claims.Name
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

}

/// <summary>
/// EHR launch contexts (SMART App Launch §launch-context-arrives-with-your-access_token): an opaque, signed,
/// ten-minute value binding one user to one patient. Stateless, so it survives restarts and several instances.
/// </summary>
internal sealed class SmartLaunch(IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("YTeSo.Access.SmartLaunch").ToTimeLimitedDataProtector();

    public string Create(string accountId, string patientId) =>
        _protector.Protect($"{accountId}\n{patientId}", clock.GetUtcNow().AddMinutes(10));

    /// <summary>The patient of a launch made for <paramref name="accountId"/>, or null.</summary>
    public string? Open(string launch, string accountId)
    {
        try
        {
            var parts = _protector.Unprotect(launch, out var expiration).Split('\n');
            return parts.Length == 2 && parts[0] == accountId && expiration > clock.GetUtcNow() ? parts[1] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
