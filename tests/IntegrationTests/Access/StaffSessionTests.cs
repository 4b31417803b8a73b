using System.Net;
using System.Text.Json;
using YTeSo.Access.Contracts;

namespace YTeSo.IntegrationTests.Access;

/// <summary>Staff sign in with a password (lockout after repeated failures) and SMART apps act for them.</summary>
public sealed class StaffSessionTests(AccessApp app) : IClassFixture<AccessApp>
{
    private const string Password = "Mat-khau-2026";

    [Fact]
    public async Task A_staff_member_signs_in_sees_pages_and_signs_out()
    {
        await app.CreateStaffAsync("bs-an", Password, (AccessApp.FacilityA, StaffRoles.Doctor));
        using var browser = app.CreateBrowserClient();

        using var signIn = await AccessApp.PostSignInAsync(browser, "bs-an", Password, "/du-lieu");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/du-lieu", signIn.Headers.Location!.AbsolutePath);
        Assert.Equal(app.ClientOptions.BaseAddress.Authority, signIn.Headers.Location.Authority);
        using (var page = await browser.GetAsync("du-lieu", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.True(page.Headers.CacheControl?.NoStore, "pages with personal data are not cached");
        }

        // Sign out is a form post with the antiforgery token of a page the user has open.
        var home = await browser.GetStringAsync("/", TestContext.Current.CancellationToken);
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "the layout offers a sign-out form");
        using var signOut = await browser.PostAsync("dang-xuat", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await browser.GetAsync("du-lieu", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/dang-nhap", after.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        await app.CreateStaffAsync("dd-binh", Password, (AccessApp.FacilityA, StaffRoles.Nurse));
        using var browser = app.CreateBrowserClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var wrong = await AccessApp.PostSignInAsync(browser, "dd-binh", "Sai-mat-khau-1");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var right = await AccessApp.PostSignInAsync(browser, "dd-binh", Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("tạm thời bị khóa", await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_says_so_without_saying_which_part_was_wrong()
    {
        using var browser = app.CreateBrowserClient();
        using var unknown = await AccessApp.PostSignInAsync(browser, "khong-ton-tai", Password);
        var text = await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Tên đăng nhập hoặc mật khẩu không đúng", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        await app.CreateStaffAsync("bs-chi", Password, (AccessApp.FacilityA, StaffRoles.Doctor));
        using var browser = app.CreateBrowserClient();
        using var signIn = await AccessApp.PostSignInAsync(browser, "bs-chi", Password, "//evil.example/phish");
        Assert.Equal(new Uri(app.ClientOptions.BaseAddress, "/"), signIn.Headers.Location);
    }

    [Fact]
    public async Task A_smart_app_gets_at_most_what_the_users_role_allows()
    {
        await app.CreateStaffAsync("ds-dung", Password, (AccessApp.FacilityA, StaffRoles.Pharmacist));
        var response = await app.StaffTokenAsync("ds-dung", Password, "openid user/Patient.rs user/Immunization.cruds user/MedicationDispense.cruds");
        var scopes = response.GetProperty("scope").GetString()!.Split(' ');
        Assert.Contains("user/Patient.rs", scopes);
        Assert.Contains("user/MedicationDispense.crus", scopes);
        Assert.DoesNotContain(scopes, s => s.StartsWith("user/Immunization", StringComparison.Ordinal));

        using var fhir = app.FhirClientWith(response.GetProperty("access_token").GetString()!);
        using var metadata = await fhir.GetAsync("metadata", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
    }

    [Fact]
    public async Task Account_changes_are_refused_to_staff_without_an_administrator_role()
    {
        await app.CreateStaffAsync("bs-em", Password, (AccessApp.FacilityA, StaffRoles.Doctor));
        var token = (await app.StaffTokenAsync("bs-em", Password, "user/Patient.rs")).GetProperty("access_token").GetString()!;
        using var http = app.CreateAnonymousClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.PostAsync("api/access/accounts", JsonContent(new { userName = "moi", displayName = "Mới", password = Password, assignments = new[] { new { facilityId = AccessApp.FacilityA, role = StaffRoles.Doctor } } }), TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
