using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Server.AspNetCore;

namespace YTeSo.Access.Tokens;

/// <summary>An OAuth error response (RFC 6749 §5.2 / §4.1.2.1) written by OpenIddict from an error code and a reason.</summary>
internal static class OAuthRefusal
{
    public static IResult Of(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
