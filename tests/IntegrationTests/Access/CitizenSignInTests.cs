using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Access.Contracts;
using YTeSo.Access.Persistence;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// Citizens sign in with their CCCD and a one-time code sent by SMS to the phone on their record (ADR 0009), and
/// their session opens only their own record, read-only. Each test has its own citizen and phone number.
/// </summary>
public sealed class CitizenSignInTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string SameAnswer = "Nếu số định danh và số điện thoại khớp với hồ sơ";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_citizen_signs_in_with_the_code_sent_to_the_phone_on_record()
    {
        var (patientId, _) = await app.CreateCitizenAsync("066199000101", "0912000101", "Lê", "Văn Hùng");
        using var browser = app.CreateBrowserClient();

        // The phone may be typed in any common form; the record holds 0912000101.
        var codePage = await CitizenApp.RequestCodeAsync(browser, "066 199 000 101", "+84 912 000 101");
        Assert.Contains(SameAnswer, codePage, StringComparison.Ordinal);
        var code = app.LastCode("+84912000101");
        Assert.NotNull(code);
        using var signedIn = await CitizenApp.PostCodeAsync(browser, codePage, code);

        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"{(int)signedIn.StatusCode} {await signedIn.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal("/cong-dan", signedIn.Headers.Location!.AbsolutePath);
        var home = await browser.GetStringAsync("cong-dan", Ct);
        Assert.Contains("Lê Văn Hùng", home, StringComparison.Ordinal);
        Assert.Contains("Chưa có lần mở khẩn cấp nào", home, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/du-lieu\"", home, StringComparison.Ordinal);

        var trail = await app.Services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter { PatientId = patientId, Action = AuditActions.SignIn }, null, 50, Ct);
        Assert.Contains(trail.Records, r => r.Record.Outcome == AuditOutcomes.Success && r.Record.Detail!.Contains("code sent", StringComparison.Ordinal));
        Assert.Contains(trail.Records, r => r.Record.Outcome == AuditOutcomes.Success && r.Record.Actor.Id == $"citizen/Patient/{patientId}" && r.Record.Detail!.Contains("signed in", StringComparison.Ordinal));
        Assert.DoesNotContain(trail.Records, r => (r.Record.Detail ?? string.Empty).Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_phone_gets_the_same_answer_and_no_sms()
    {
        await app.CreateCitizenAsync("066199000102", "0912000102");
        using var browser = app.CreateBrowserClient();

        var wrongPhone = await CitizenApp.RequestCodeAsync(browser, "066199000102", "0912999102");
        var nobody = await CitizenApp.RequestCodeAsync(browser, "066199999999", "0912999103");

        Assert.Contains(SameAnswer, wrongPhone, StringComparison.Ordinal);
        Assert.Contains(SameAnswer, nobody, StringComparison.Ordinal);
        Assert.Empty(app.Sms.MessagesTo("+84912999102"));
        Assert.Empty(app.Sms.MessagesTo("+84912000102"));
        Assert.Empty(app.Sms.MessagesTo("+84912999103"));
        using var guess = await CitizenApp.PostCodeAsync(browser, wrongPhone, "123456");
        Assert.Equal(HttpStatusCode.OK, guess.StatusCode);
        Assert.Contains("Mã xác thực không đúng", await guess.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_cccd_or_landline_is_refused_before_any_lookup()
    {
        using var browser = app.CreateBrowserClient();

        var page = await CitizenApp.RequestCodeAsync(browser, "06619900010", "02623000104");

        Assert.Contains("data-testid=\"cccd-error\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"phone-error\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(SameAnswer, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_code_is_kept_only_as_a_hash_in_the_access_database()
    {
        var (_, codePage, code) = await app.CitizenWithCodeAsync("066199000113", "0912000113", "+84912000113");
        var request = AccessApp.HiddenFields(codePage)["Code.Request"];

        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AccessDbContext>().CitizenSignInCodes.AsNoTracking().SingleAsync(c => c.Id == request, Ct);

        Assert.Equal("cd-066199000113", stored.PatientIds);
        Assert.Equal(64, stored.CodeHash.Length);
        Assert.DoesNotContain(code, stored.CodeHash, StringComparison.Ordinal);
        Assert.DoesNotContain("912000113", stored.PhoneKey, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(5), stored.ExpiresAt - stored.CreatedAt);
    }

    [Fact]
    public async Task A_wrong_code_five_times_kills_the_code()
    {
        var (browser, codePage, code) = await app.CitizenWithCodeAsync("066199000105", "0912000105", "+84912000105");
        using var session = browser;
        var wrong = code == "000000" ? "111111" : "000000";

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var refused = await CitizenApp.PostCodeAsync(browser, codePage, wrong);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        }

        using var tooLate = await CitizenApp.PostCodeAsync(browser, codePage, code);
        Assert.Equal(HttpStatusCode.OK, tooLate.StatusCode);
        Assert.Contains("Mã xác thực không đúng", await tooLate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var (browser, codePage, code) = await app.CitizenWithCodeAsync("066199000106", "0912000106", "+84912000106");
        using var session = browser;

        app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var expired = await CitizenApp.PostCodeAsync(browser, codePage, code);

        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        Assert.Contains("Mã xác thực không đúng", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_is_good_for_one_sign_in_only()
    {
        var (browser, codePage, code) = await app.CitizenWithCodeAsync("066199000107", "0912000107", "+84912000107");
        using var session = browser;
        using (var first = await CitizenApp.PostCodeAsync(browser, codePage, code))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        // Another browser replays the same request id and code: the code is closed.
        using var other = app.CreateBrowserClient();
        var fields = AccessApp.HiddenFields(await other.GetStringAsync("cong-dan/dang-nhap", Ct));
        fields["_handler"] = "citizen-code";
        fields["Code.Request"] = AccessApp.HiddenFields(codePage)["Code.Request"];
        fields["Code.Value"] = code;
        using var replayed = await other.PostAsync("cong-dan/dang-nhap", new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("Mã xác thực không đúng", await replayed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resend_within_a_minute_sends_nothing_and_a_phone_gets_at_most_five_codes_an_hour()
    {
        await app.CreateCitizenAsync("066199000108", "0912000108");
        using var browser = app.CreateBrowserClient();

        var first = await CitizenApp.RequestCodeAsync(browser, "066199000108", "0912000108");
        var firstCode = app.LastCode("+84912000108")!;
        var again = await CitizenApp.RequestCodeAsync(browser, "066199000108", "0912000108");
        Assert.Contains(SameAnswer, again, StringComparison.Ordinal);
        Assert.Single(app.Sms.MessagesTo("+84912000108"));

        for (var resend = 0; resend < 5; resend++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(61));
            await CitizenApp.RequestCodeAsync(browser, "066199000108", "0912000108");
        }

        Assert.Equal(5, app.Sms.MessagesTo("+84912000108").Count);
        // A newer code replaces the older one.
        using var replaced = await CitizenApp.PostCodeAsync(browser, first, firstCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
    }

    [Fact]
    public async Task A_citizen_reads_their_own_record_and_nothing_else_and_writes_nothing()
    {
        var (own, ownObservation) = await app.CreateCitizenAsync("066199000109", "0912000109");
        var (other, otherObservation) = await app.CreateCitizenAsync("066199000110", "0912000110");
        using var browser = await app.SignedInCitizenAsync("066199000109", "0912000109", "+84912000109");
        browser.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"fhir/Patient/{own}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"fhir/Observation/{ownObservation}", Ct)).StatusCode);
        var observations = JsonDocument.Parse(await browser.GetStringAsync($"fhir/Observation?subject=Patient/{own}", Ct)).RootElement;
        Assert.Equal(1, observations.GetProperty("entry").GetArrayLength());
        var patients = JsonDocument.Parse(await browser.GetStringAsync("fhir/Patient", Ct)).RootElement;
        Assert.Equal(own, Assert.Single(patients.GetProperty("entry").EnumerateArray()).GetProperty("resource").GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"fhir/Patient/{other}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"fhir/Observation/{otherObservation}", Ct)).StatusCode);

        var body = $$$"""{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/{{{own}}}"}}""";
        using var create = await browser.PostAsync("fhir/Observation", new StringContent(body, System.Text.Encoding.UTF8, "application/fhir+json"), Ct);
        using var update = await browser.PutAsync($"fhir/Observation/{ownObservation}", new StringContent(body.Replace("{\"resourceType", $"{{\"id\":\"{ownObservation}\",\"resourceType", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/fhir+json"), Ct);
        using var delete = await browser.DeleteAsync($"fhir/Patient/{own}", Ct);
        Assert.All(new[] { create, update, delete }, r => Assert.True(r.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed, $"{r.RequestMessage!.Method} answered {(int)r.StatusCode}"));
    }

    [Fact]
    public async Task A_break_glass_opening_by_a_doctor_appears_in_the_citizens_list_and_page()
    {
        var (patientId, _) = await app.CreateCitizenAsync("066199000111", "0912000111");
        await app.EnsureFacilityAsync(AccessApp.FacilityB);
        await app.CreateStaffAsync("bs-cd-khoa", "Mat-khau-2026", (AccessApp.FacilityB, StaffRoles.Doctor));
        var token = (await app.StaffTokenAsync("bs-cd-khoa", "Mat-khau-2026", "user/*.cruds")).GetProperty("access_token").GetString()!;
        using (var doctor = app.CreateAnonymousClient())
        {
            doctor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var request = JsonSerializer.Serialize(new { patientId, reason = "Bệnh nhân bất tỉnh tại cấp cứu, cần tiền sử dị ứng" });
            using var opened = await doctor.PostAsync("api/access/break-glass", new StringContent(request, System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        using var browser = await app.SignedInCitizenAsync("066199000111", "0912000111", "+84912000111");
        var list = JsonDocument.Parse(await browser.GetStringAsync("api/citizen/break-glass", Ct)).RootElement;

        var opening = Assert.Single(list.EnumerateArray());
        Assert.Equal("Nhân viên bs-cd-khoa", opening.GetProperty("openedBy").GetString());
        Assert.Equal("Cơ sở " + AccessApp.FacilityB, opening.GetProperty("facilityName").GetString());
        Assert.Contains("bất tỉnh", opening.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(opening.GetProperty("openUntil").GetDateTimeOffset() > opening.GetProperty("openedAt").GetDateTimeOffset());
        var home = await browser.GetStringAsync("cong-dan", Ct);
        Assert.Contains("Bệnh nhân bất tỉnh tại cấp cứu", home, StringComparison.Ordinal);
        Assert.Contains("Nhân viên bs-cd-khoa", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_citizen_api_refuses_anonymous_callers_and_staff()
    {
        using var anonymous = app.CreateAnonymousClient();
        using var system = app.CreateClient();

        using var noOne = await anonymous.GetAsync("api/citizen/break-glass", Ct);
        using var notACitizen = await system.GetAsync("api/citizen/break-glass", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, noOne.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notACitizen.StatusCode);
    }

    [Fact]
    public async Task A_citizen_session_opens_no_staff_page_and_signs_out()
    {
        await app.CreateCitizenAsync("066199000112", "0912000112");
        using var browser = await app.SignedInCitizenAsync("066199000112", "0912000112", "+84912000112");

        using var staffPage = await browser.GetAsync("du-lieu", Ct);
        Assert.Equal(HttpStatusCode.Redirect, staffPage.StatusCode);
        Assert.StartsWith("/dang-nhap", staffPage.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var home = await browser.GetStringAsync("cong-dan", Ct);
        var fields = AccessApp.HiddenFields(home);
        using var signOut = await browser.PostAsync("cong-dan/dang-xuat", new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await browser.GetAsync("cong-dan", Ct);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/cong-dan/dang-nhap", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
