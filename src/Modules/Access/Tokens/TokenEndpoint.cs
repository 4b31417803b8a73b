using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using YTeSo.Access.Accounts;
using YTeSo.Access.Authorization;
using YTeSo.Platform.Auditing;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace YTeSo.Access.Tokens;

/// <summary>
/// <c>POST /connect/token</c> after OpenIddict has authenticated the client (secret or <c>private_key_jwt</c>
/// assertion) and validated the grant: decides what the token says. Client credentials (SMART Backend Services) get
/// the requested <c>system/</c> scopes narrowed to what the client is registered for; an authorization code or
/// refresh token is re-checked against the user's current roles, so a revoked role stops working at the next refresh.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> Handle(
        HttpContext context,
        IOpenIddictApplicationManager applications,
        UserManager<StaffAccount> users,
        IAuditTrail audit)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle this request.");
        if (request.IsClientCredentialsGrantType())
        {
            return await ClientCredentialsAsync(context, request, applications, audit);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            return await RedeemAsync(context, users, audit);
        }

        return OAuthRefusal.Of(Errors.UnsupportedGrantType, "This server issues tokens for client_credentials, authorization_code and refresh_token.");
    }

    private static async Task<IResult> ClientCredentialsAsync(HttpContext context, OpenIddictRequest request, IOpenIddictApplicationManager applications, IAuditTrail audit)
    {
        var application = await applications.FindByClientIdAsync(request.ClientId!, context.RequestAborted)
            ?? throw new InvalidOperationException("The authenticated client disappeared.");
        var registration = ClientRegistration.Read(await applications.GetPropertiesAsync(application, context.RequestAborted));
        var display = await applications.GetDisplayNameAsync(application, context.RequestAborted) ?? request.ClientId!;
        var actor = new AuditActor($"client/{request.ClientId}", display, FacilityId: registration.FacilityId, ClientId: request.ClientId, SourceIp: context.Connection.RemoteIpAddress?.ToString());

        var requested = request.GetScopes().ToList();
        var unknown = requested.Where(s => SmartScope.TryParse(s) is not { Context: SmartScope.System } && !registration.OtherScopes.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.TokenIssued, AuditOutcomes.Denied, actor, Detail: $"invalid scope {string.Join(' ', unknown)}"), context.RequestAborted);
            return OAuthRefusal.Of(Errors.InvalidScope, $"A system client asks only for system/ scopes (SMART Backend Services); not understood: {string.Join(' ', unknown)}.");
        }

        var granted = SmartScope.Grant(requested.Select(SmartScope.TryParse).OfType<SmartScope>(), registration.Scopes);
        var other = requested.Where(registration.OtherScopes.Contains).ToList();
        if (granted.Count == 0 && other.Count == 0)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.TokenIssued, AuditOutcomes.Denied, actor, Detail: $"no permitted scope in '{request.Scope}'"), context.RequestAborted);
            return OAuthRefusal.Of(Errors.InvalidScope, $"None of the requested scopes is permitted for this client (permitted: {string.Join(' ', registration.Scopes)}).");
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetClaim(Claims.Name, display);
        identity.SetClaim(AccessClaims.Kind, AccessClaims.Client);
        identity.SetClaim(AccessClaims.Facility, registration.FacilityId);
        if (registration.SeesSensitive)
        {
            identity.SetClaim(AccessClaims.SeesSensitive, "true");
        }

        identity.SetScopes(granted.Select(s => s.ToString()).Concat(other));
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        await audit.RecordAsync(new AuditRecord(AuditActions.TokenIssued, AuditOutcomes.Success, actor, Detail: string.Join(' ', granted.Select(g => g.ToString()).Concat(other))), context.RequestAborted);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> RedeemAsync(HttpContext context, UserManager<StaffAccount> users, IAuditTrail audit)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal ?? throw new InvalidOperationException("OpenIddict did not validate the code or refresh token.");
        var properties = new AuthenticationProperties();
        if (principal.GetClaim(AccessClaims.Kind) == AccessClaims.Staff)
        {
            // The user's roles may have changed since the code was issued: re-check before issuing.
            var account = await users.FindByIdAsync(principal.GetClaim(Claims.Subject)!);
            if (account is null || await users.IsLockedOutAsync(account))
            {
                return OAuthRefusal.Of(Errors.InvalidGrant, "The account no longer exists or is locked.");
            }
        }

        if (principal.GetClaim(AccessClaims.Patient) is { } patient)
        {
            // SMART App Launch: the launch context goes back beside the token (token response "patient").
            properties.Parameters[AccessClaims.Patient] = patient;
        }

        await audit.RecordAsync(new AuditRecord(AuditActions.TokenIssued, AuditOutcomes.Success, AccessResolver.ActorOf(principal, context), Detail: string.Join(' ', principal.GetScopes())), context.RequestAborted);
        return Results.SignIn(principal, properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

}

/// <summary>What the platform keeps about an OAuth client beyond OpenIddict's own fields (in its properties).</summary>
internal sealed record ClientRegistration(IReadOnlyList<SmartScope> Scopes, IReadOnlySet<string> OtherScopes, string? FacilityId, bool SeesSensitive)
{
    public const string ScopesProperty = "smart_scopes";
    public const string FacilityProperty = "facility";
    public const string SensitiveProperty = "sees_sensitive";

    public static ClientRegistration Read(IReadOnlyDictionary<string, JsonElement> properties)
    {
        var scopes = properties.TryGetValue(ScopesProperty, out var s) ? s.GetString() ?? string.Empty : string.Empty;
        var facility = properties.TryGetValue(FacilityProperty, out var f) ? f.GetString() : null;
        var sensitive = properties.TryGetValue(SensitiveProperty, out var v) && v.ValueKind == JsonValueKind.True;
        var words = scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new ClientRegistration(
            [.. words.Select(SmartScope.TryParse).OfType<SmartScope>()],
            words.Where(w => SmartScope.TryParse(w) is null).ToHashSet(StringComparer.Ordinal),
            string.IsNullOrEmpty(facility) ? null : facility,
            sensitive);
    }
}
