using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// The host with the clients the access tests need: two hospital systems (facility A and B) that authenticate with a
/// signed JWT (SMART Backend Services, private_key_jwt), and a SMART app acting for staff (authorization code + PKCE).
/// Staff accounts are created through the account API, and staff tokens come from the real authorization flow.
/// </summary>
public partial class AccessApp : YTeSoApp
{
    public const string FacilityA = "bv-a";
    public const string FacilityB = "bv-b";
    public const string HisA = "his-a";
    public const string HisB = "his-b";
    public const string SmartApp = "smart-app";
    public const string RedirectUri = "http://127.0.0.1:9/callback";

    public RSA HisAKey { get; } = RSA.Create(2048);

    public RSA HisBKey { get; } = RSA.Create(2048);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Security:Clients:1:ClientId"] = HisA,
        ["Security:Clients:1:DisplayName"] = "HIS bệnh viện A",
        ["Security:Clients:1:Jwks"] = Jwks(HisAKey, "his-a-1"),
        ["Security:Clients:1:Scopes"] = "system/*.cruds",
        ["Security:Clients:1:FacilityId"] = FacilityA,
        ["Security:Clients:2:ClientId"] = HisB,
        ["Security:Clients:2:Jwks"] = Jwks(HisBKey, "his-b-1"),
        ["Security:Clients:2:Scopes"] = "system/Patient.rs system/Observation.rs",
        ["Security:Clients:2:FacilityId"] = FacilityB,
        ["Security:Clients:3:ClientId"] = SmartApp,
        ["Security:Clients:3:Scopes"] = "user/*.cruds patient/*.rs",
        ["Security:Clients:3:RedirectUris:0"] = RedirectUri,
        ["Security:LockoutAttempts"] = "3",
    };

    private static string Jwks(RSA key, string kid)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(false)) { KeyId = kid });
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha384;
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = jwk.Use, alg = jwk.Alg, n = jwk.N, e = jwk.E } } });
    }

    /// <summary>
    /// A client assertion (RFC 7523 as updated by draft-ietf-oauth-rfc7523bis, which OpenIddict 7 enforces): iss = sub =
    /// client id, aud = the issuer, typ = client-authentication+jwt. docs/security.md explains the difference from
    /// SMART Backend Services' "aud = token endpoint, typ = JWT".
    /// </summary>
    public string ClientAssertion(string clientId, RSA key, string kid)
    {
        var handler = new JsonWebTokenHandler();
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = ClientOptions.BaseAddress.ToString(),
            TokenType = "client-authentication+jwt",
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString() },
            Expires = DateTime.UtcNow.AddMinutes(4),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.RsaSha384),
        });
    }

    /// <summary>Client credentials with a signed JWT assertion; returns the raw token response.</summary>
    public async Task<HttpResponseMessage> RequestSignedTokenAsync(string clientId, RSA key, string kid, string scope)
    {
        using var http = CreateAnonymousClient();
        return await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = ClientAssertion(clientId, key, kid),
        }));
    }

    public async Task<string> HisTokenAsync(string clientId, string scope = "system/*.cruds")
    {
        var (key, kid) = clientId == HisA ? (HisAKey, "his-a-1") : (HisBKey, "his-b-1");
        using var response = await RequestSignedTokenAsync(clientId, key, kid, scope);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Creates (PUT, idempotent) the facility's Organization with the province-wide test client.</summary>
    public async Task EnsureFacilityAsync(string id)
    {
        using var fhir = CreateFhirClient();
        using var response = await fhir.PutAsync($"Organization/{id}", FhirHttp.Json(new Hl7.Fhir.Model.Organization { Id = id, Name = "Cơ sở " + id }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>An HttpClient on the FHIR base with the given bearer token.</summary>
    public HttpClient FhirClientWith(string token)
    {
        var client = CreateAnonymousClient();
        client.BaseAddress = FhirBase;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/fhir+json"));
        return client;
    }

    /// <summary>Creates a staff account through the account API (as the deployment client).</summary>
    public async Task<string> CreateStaffAsync(string userName, string password, params (string Facility, string Role)[] roles)
    {
        using var http = CreateClient();
        using var response = await http.PostAsJsonAsync("api/access/accounts", new
        {
            userName,
            displayName = "Nhân viên " + userName,
            password,
            assignments = roles.Select(r => new { facilityId = r.Facility, role = r.Role }),
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>A browser-like client (cookies, no automatic redirects) for the staff web session.</summary>
    public HttpClient CreateBrowserClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = ClientOptions.BaseAddress };

    /// <summary>Posts the sign-in form as a browser would (antiforgery token and form name included); returns the response.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string userName, string password, string returnUrl = "/")
    {
        var page = await browser.GetStringAsync($"dang-nhap?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        var fields = HiddenFields(page);
        fields["Input.UserName"] = userName;
        fields["Input.Password"] = password;
        return await browser.PostAsync($"dang-nhap?ReturnUrl={Uri.EscapeDataString(returnUrl)}", new FormUrlEncodedContent(fields));
    }

    /// <summary>The hidden fields of a page's form (antiforgery token, Blazor's form name, step state), decoded.</summary>
    public static Dictionary<string, string> HiddenFields(string page) =>
        HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    /// <summary>Signs a staff member in and runs the SMART authorization code flow with PKCE; returns the token response.</summary>
    public async Task<JsonElement> StaffTokenAsync(string userName, string password, string scope, string? launch = null)
    {
        using var browser = CreateBrowserClient();
        using (var signedIn = await PostSignInAsync(browser, userName, password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = SmartApp,
            ["redirect_uri"] = RedirectUri,
            ["scope"] = scope,
            ["state"] = "s1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["aud"] = FhirBase.ToString(),
            ["launch"] = launch,
        };
        using var authorize = await browser.GetAsync(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("connect/authorize", query.Where(q => q.Value is not null)));
        Assert.True(authorize.StatusCode == HttpStatusCode.Redirect, await authorize.Content.ReadAsStringAsync());
        var location = authorize.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query)["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code), location.ToString());

        using var http = CreateAnonymousClient();
        using var token = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["client_id"] = SmartApp,
            ["code_verifier"] = verifier,
        }));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Posts one form of a page as a browser would: fetches <paramref name="path"/>, takes the hidden fields (antiforgery
    /// token, Blazor's form name) of the form whose <c>_handler</c> is <paramref name="formName"/>, adds
    /// <paramref name="fields"/>, and posts it back.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var page = await browser.GetStringAsync(path);
        var form = FormElement().Matches(page).Select(m => m.Value).FirstOrDefault(f => f.Contains($"value=\"{formName}\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No form '{formName}' on {path}:\n{page}");
        var values = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return await browser.PostAsync(path, new FormUrlEncodedContent(values));
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex FormElement();
}
