using System.Net;
using System.Text;
using System.Text.Json;

namespace YTeSo.IntegrationTests.Access;

/// <summary>Bad input to the access APIs gets a precise 400 and changes nothing.</summary>
public sealed class AccessBadInputTests(AccessApp app) : IClassFixture<AccessApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{")]
    [InlineData("""{"userName":"thieu-mat-khau","displayName":"Thiếu","assignments":[{"facilityId":"bv-a","role":"doctor"}]}""")]
    [InlineData("""{"userName":"sai-vai-tro","displayName":"Sai","password":"Mat-khau-2026","assignments":[{"facilityId":"bv-a","role":"surgeon"}]}""")]
    [InlineData("""{"userName":"khong-vai-tro","displayName":"Không","password":"Mat-khau-2026","assignments":[]}""")]
    [InlineData("""{"userName":"mat-khau-yeu","displayName":"Yếu","password":"123","assignments":[{"facilityId":"bv-a","role":"doctor"}]}""")]
    public async Task A_bad_account_request_gets_400_and_creates_no_account(string body)
    {
        using var http = app.CreateClient();
        using var response = await http.PostAsync("api/access/accounts", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        // Nobody can sign in as any of them: no half-made account was left behind.
        var userName = body.Contains("userName", StringComparison.Ordinal) ? JsonDocument.Parse(body).RootElement.GetProperty("userName").GetString()! : "none";
        using var browser = app.CreateBrowserClient();
        using var signIn = await AccessApp.PostSignInAsync(browser, userName, "Mat-khau-2026");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("không đúng", await signIn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_request_with_an_unknown_grant_gets_an_oauth_error()
    {
        using var anonymous = app.CreateAnonymousClient();
        using var response = await anonymous.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "x", ["password"] = "y" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Break_glass_without_a_patient_is_a_400()
    {
        using var http = app.CreateClient();
        using var response = await http.PostAsync("api/access/break-glass", new StringContent("""{"reason":"Cấp cứu ngừng tuần hoàn tại khoa"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
