using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Access.Contracts;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// The privacy office's pages: the audit trail searched by patient, actor, action and day, and the break-glass register
/// reviewed from the browser; only the auditor and the Department's administrator get in, and every look is audited.
/// </summary>
public sealed class AuditorPagesTests(AccessApp app) : IClassFixture<AccessApp>
{
    private const string Password = "Mat-khau-2026";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_auditor_finds_a_patients_break_glass_reads_and_marks_the_opening_reviewed()
    {
        var (patient, grant) = await BreakGlassOpeningAsync("bs-cap-cuu-1");
        var auditorId = await app.CreateStaffAsync("kiem-toan-1", Password, ("so-y-te", StaffRoles.Auditor));
        using var auditor = app.CreateBrowserClient();
        using (var signedIn = await AccessApp.PostSignInAsync(auditor, "kiem-toan-1", Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var home = await auditor.GetStringAsync("/", Ct);
        Assert.Contains("href=\"/kiem-toan/nhat-ky\"", home, StringComparison.Ordinal);

        var trail = await auditor.GetStringAsync($"kiem-toan/nhat-ky?patient={patient}&breakGlass=true", Ct);
        Assert.Contains("Mở khẩn cấp", trail, StringComparison.Ordinal);
        Assert.Contains("BS. cấp cứu bs-cap-cuu-1", trail, StringComparison.Ordinal);
        Assert.Contains($"Patient/{patient}", trail, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"audit-head\"", trail, StringComparison.Ordinal);

        var register = await auditor.GetStringAsync("kiem-toan/truy-cap-khan-cap", Ct);
        Assert.Contains($"data-grant=\"{grant}\"", register, StringComparison.Ordinal);
        Assert.Contains("Bệnh nhân ngừng tim", register, StringComparison.Ordinal);
        using (var reviewed = await AccessApp.PostFormAsync(auditor, "kiem-toan/truy-cap-khan-cap", "review-break-glass", new Dictionary<string, string> { ["GrantId"] = grant.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            var body = await reviewed.Content.ReadAsStringAsync(Ct);
            Assert.True(reviewed.StatusCode == HttpStatusCode.OK, $"{reviewed.StatusCode} {body}");
            Assert.Contains($"#{grant}", body, StringComparison.Ordinal);
            Assert.DoesNotContain($"data-grant=\"{grant}\"", body, StringComparison.Ordinal); // gone from the unreviewed list
        }

        Assert.Contains("Đã xem xét bởi Nhân viên kiem-toan-1", await auditor.GetStringAsync("kiem-toan/truy-cap-khan-cap?all=true", Ct), StringComparison.Ordinal);

        // Looking was recorded: the trail search names the patient it showed, the review is a permission change.
        var looks = await app.Services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter { ActorId = $"staff/{auditorId}" }, null, 50, Ct);
        Assert.Contains(looks.Records, r => r.Record.Action == AuditActions.Search && r.Record.ResourceType == "AuditEvent" && r.Record.PatientIds!.Contains(patient));
        Assert.Contains(looks.Records, r => r.Record.Action == AuditActions.PermissionChange && r.Record.Detail == $"reviewed break-glass {grant}");
    }

    [Fact]
    public async Task Clinicians_cannot_open_the_auditor_pages_or_the_audit_api()
    {
        await app.CreateStaffAsync("bs-to-mo", Password, (AccessApp.FacilityA, StaffRoles.Doctor));
        using var doctor = app.CreateBrowserClient();
        using (var signedIn = await AccessApp.PostSignInAsync(doctor, "bs-to-mo", Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var trail = await doctor.GetStringAsync("kiem-toan/nhat-ky", Ct);
        Assert.Contains("data-testid=\"audit-forbidden\"", trail, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"audit-records\"", trail, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"break-glass-forbidden\"", await doctor.GetStringAsync("kiem-toan/truy-cap-khan-cap", Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/kiem-toan/nhat-ky\"", await doctor.GetStringAsync("/", Ct), StringComparison.Ordinal);

        var token = (await app.StaffTokenAsync("bs-to-mo", Password, "user/*.rs")).GetProperty("access_token").GetString()!;
        using var api = app.FhirClientWith(token);
        using var refused = await api.GetAsync(new Uri(app.ClientOptions.BaseAddress, "api/access/audit"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_audit_api_filters_by_actor_action_and_vietnamese_day_and_refuses_an_impossible_date()
    {
        var (patient, _) = await BreakGlassOpeningAsync("bs-cap-cuu-2");
        await app.CreateStaffAsync("qt-so", Password, ("so-y-te", StaffRoles.DepartmentAdministrator));
        var token = (await app.StaffTokenAsync("qt-so", Password, "user/*.rs")).GetProperty("access_token").GetString()!;
        using var api = app.FhirClientWith(token);
        api.BaseAddress = app.ClientOptions.BaseAddress;
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);

        var page = JsonDocument.Parse(await api.GetStringAsync($"api/access/audit?patient={patient}&action=break-glass&from={today}&to={today}", Ct)).RootElement;
        var records = page.GetProperty("records").EnumerateArray().ToList();
        Assert.Single(records);
        Assert.Equal("break-glass", records[0].GetProperty("record").GetProperty("action").GetString());

        var yesterday = JsonDocument.Parse(await api.GetStringAsync($"api/access/audit?patient={patient}&to={DateTimeOffset.UtcNow.AddDays(-2):yyyy-MM-dd}", Ct)).RootElement;
        Assert.Empty(yesterday.GetProperty("records").EnumerateArray());

        var paged = JsonDocument.Parse(await api.GetStringAsync($"api/access/audit?patient={patient}&count=1", Ct)).RootElement;
        var next = paged.GetProperty("nextBefore").GetInt64();
        var older = JsonDocument.Parse(await api.GetStringAsync($"api/access/audit?patient={patient}&count=1&before={next}", Ct)).RootElement;
        Assert.True(older.GetProperty("records")[0].GetProperty("seq").GetInt64() < next);

        using var bad = await api.GetAsync("api/access/audit?from=31/02/2026", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("dd/MM/yyyy", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    /// <summary>A patient of facility A opened by a doctor of facility B in an emergency, then read once under it.</summary>
    private async Task<(string Patient, long Grant)> BreakGlassOpeningAsync(string doctorName)
    {
        await app.EnsureFacilityAsync(AccessApp.FacilityA);
        await app.EnsureFacilityAsync(AccessApp.FacilityB);
        using var province = app.CreateFhirClient();
        var patient = (await province.CreateAsync(new Patient
        {
            Name = [new HumanName { Family = "Vũ", Given = ["Thị Khẩn"] }],
            ManagingOrganization = new ResourceReference($"Organization/{AccessApp.FacilityA}"),
        })).Id!;
        using var admin = app.CreateClient();
        using (var created = await admin.PostAsJsonAsync("api/access/accounts", new
        {
            userName = doctorName,
            displayName = "BS. cấp cứu " + doctorName,
            password = Password,
            assignments = new[] { new { facilityId = AccessApp.FacilityB, role = StaffRoles.Doctor } },
        }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var token = (await app.StaffTokenAsync(doctorName, Password, "user/*.rs")).GetProperty("access_token").GetString()!;
        using var api = app.FhirClientWith(token);
        api.BaseAddress = app.ClientOptions.BaseAddress;
        using var opened = await api.PostAsJsonAsync("api/access/break-glass", new { patientId = patient, reason = "Bệnh nhân ngừng tim tại khoa cấp cứu" }, Ct);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var grant = JsonDocument.Parse(await opened.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"fhir/Patient/{patient}", Ct)).StatusCode);
        return (patient, grant);
    }
}
