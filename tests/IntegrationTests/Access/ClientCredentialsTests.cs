using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace YTeSo.IntegrationTests.Access;

/// <summary>SMART Backend Services: a hospital system proves itself with a signed JWT and gets the scopes it is registered for.</summary>
public sealed class ClientCredentialsTests(AccessApp app) : IClassFixture<AccessApp>
{
    [Fact]
    public async Task A_system_with_a_signed_assertion_gets_a_token_and_uses_it_with_Firelys_FhirClient()
    {
        var token = await app.HisTokenAsync(AccessApp.HisA, "system/Patient.cruds system/Observation.rs");
        using var http = app.FhirClientWith(token);
        var client = new FhirClient(app.FhirBase, http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json });

        // Registered at facility A, so facility A's system sees the patient it just created.
        await app.EnsureFacilityAsync(AccessApp.FacilityA);
        var created = await client.CreateAsync(new Patient
        {
            Name = [new HumanName { Family = "Thử", Given = ["Nghiệm"] }],
            ManagingOrganization = new ResourceReference($"Organization/{AccessApp.FacilityA}"),
        });
        var read = await client.ReadAsync<Patient>($"Patient/{created!.Id}");
        Assert.Equal("Thử", read!.Name[0].Family);
    }

    [Fact]
    public async Task The_token_carries_only_the_granted_scopes()
    {
        // HIS B may only read patients and observations: asking for more yields the part it may have.
        using var response = await app.RequestSignedTokenAsync(AccessApp.HisB, app.HisBKey, "his-b-1", "system/Patient.cruds system/Condition.rs");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(body.GetProperty("access_token").GetString());
        var scopes = token.Claims.Where(c => c.Type is "scope" or "oi_scp").SelectMany(c => c.Value.Split(' ')).ToList();
        Assert.Contains("system/Patient.rs", scopes);
        Assert.DoesNotContain(scopes, s => s.StartsWith("system/Condition", StringComparison.Ordinal) || s == "system/Patient.cruds");
    }

    [Fact]
    public async Task An_assertion_signed_with_another_key_is_refused()
    {
        using var response = await app.RequestSignedTokenAsync(AccessApp.HisA, app.HisBKey, "his-a-1", "system/Patient.rs");
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Equal("invalid_client", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_scope_the_client_may_not_have_is_refused_with_invalid_scope()
    {
        using var response = await app.RequestSignedTokenAsync(AccessApp.HisB, app.HisBKey, "his-b-1", "system/Condition.rs");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_user_scope_is_not_for_a_system_client()
    {
        using var response = await app.RequestSignedTokenAsync(AccessApp.HisA, app.HisAKey, "his-a-1", "user/Patient.rs");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_forged_or_expired_bearer_token_gets_401()
    {
        using var forged = app.FhirClientWith("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        using var response = await forged.GetAsync("Patient", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_smart_configuration_names_the_endpoints_and_private_key_jwt()
    {
        using var anonymous = app.CreateAnonymousClient();
        var document = JsonDocument.Parse(await anonymous.GetStringAsync(".well-known/smart-configuration", TestContext.Current.CancellationToken)).RootElement;
        Assert.EndsWith("/connect/token", document.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/authorize", document.GetProperty("authorization_endpoint").GetString(), StringComparison.Ordinal);
        Assert.Contains("private_key_jwt", document.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("S256", document.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }
}
