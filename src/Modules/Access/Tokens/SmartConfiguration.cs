using Microsoft.AspNetCore.Http;

namespace YTeSo.Access.Tokens;

/// <summary>
/// <c>/.well-known/smart-configuration</c> (SMART App Launch 2.0 §conformance): where to authorize and get tokens,
/// and what the hub supports, so SMART apps and backend clients configure themselves.
/// </summary>
internal static class SmartConfiguration
{
    private static readonly Dictionary<string, string[]> Capabilities = new()
    {
        ["grant_types_supported"] = ["authorization_code", "client_credentials", "refresh_token"],
        ["token_endpoint_auth_methods_supported"] = ["private_key_jwt", "client_secret_basic", "client_secret_post"],
        ["token_endpoint_auth_signing_alg_values_supported"] = ["RS384", "ES384", "RS256"],
        ["scopes_supported"] =
        [
            "openid", "fhirUser", "launch", "launch/patient", "offline_access",
            "system/*.rs", "system/*.cruds", "user/*.rs", "user/*.cruds", "patient/*.rs",
        ],
        ["response_types_supported"] = ["code"],
        ["code_challenge_methods_supported"] = ["S256"],
        ["capabilities"] =
        [
            "launch-ehr", "client-public", "client-confidential-symmetric", "client-confidential-asymmetric",
            "context-ehr-patient", "sso-openid-connect", "permission-offline", "permission-patient", "permission-user",
            "permission-v1", "permission-v2",
        ],
    };

    public static IResult Handle(HttpContext context)
    {
        var issuer = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        var document = new Dictionary<string, object>
        {
            ["issuer"] = issuer + "/",
            ["jwks_uri"] = $"{issuer}/.well-known/jwks",
            ["authorization_endpoint"] = $"{issuer}/connect/authorize",
            ["token_endpoint"] = $"{issuer}/connect/token",
        };
        foreach (var (key, values) in Capabilities)
        {
            document[key] = values;
        }

        return Results.Json(document);
    }
}
