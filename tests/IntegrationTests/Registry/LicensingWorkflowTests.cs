using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;
using YTeSo.Registry.Licensing;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// Issue 5's licensing procedure on the real host and database: submit with attachments, request information, answer,
/// approve (the licence lands on the holder's FHIR Practitioner with its number), the public verification page, and the
/// refusals that keep the state machine honest. The browser test (EndToEndTests) walks the same path through the pages.
/// </summary>
public sealed class LicensingWorkflowTests(LicensingWorkflowTests.SmsApp app) : IClassFixture<LicensingWorkflowTests.SmsApp>
{
    /// <summary>The host with the SMS simulator, which keeps what it would have sent.</summary>
    public sealed class SmsApp : YTeSoApp
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Security:Sms:Provider"] = "Simulator" };

        internal YTeSo.Access.Sms.SimulatedSmsGateway Sms => Services.GetRequiredService<YTeSo.Access.Sms.SimulatedSmsGateway>();
    }

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% synthetic diploma for tests\n%%EOF\n");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_application_goes_from_submission_through_a_request_for_information_to_an_issued_verifiable_licence()
    {
        var cccd = NewCccd();
        await using var scope = app.Services.CreateAsyncScope();
        var workflow = scope.ServiceProvider.GetRequiredService<LicensingWorkflow>();
        var officer = TestAccessResolver.ProvinceWide();

        var submitted = await workflow.SubmitAsync(LicenceKind.PracticeLicence, Form(cccd), [new("van-bang.pdf", "application/pdf", Pdf)], Ct);
        Assert.True(submitted.Succeeded, string.Join("; ", submitted.Problems.Select(p => p.Message)));
        var number = submitted.Application!.Number;
        Assert.Matches(@"^HS-\d{4}-\d{6}$", number);
        Assert.Equal(12, submitted.AccessKey!.Length);
        Assert.Null(await workflow.FindForApplicantAsync(number, "SAIMA2345678", Ct));

        var id = submitted.Application.Id;
        Assert.False((await workflow.RequestInformationAsync(officer, id, "  ", Ct)).Succeeded);
        var asked = await workflow.RequestInformationAsync(officer, id, "Bổ sung giấy xác nhận quá trình thực hành.", Ct);
        Assert.Equal(ApplicationStatus.InformationRequested, asked.Application!.Status);
        Assert.False((await workflow.ApproveAsync(officer, id, null, null, Ct)).Succeeded);   // not while waiting for the applicant

        var answered = await workflow.ProvideInformationAsync(number, submitted.AccessKey, "Đã bổ sung giấy xác nhận.", [new("xac-nhan.pdf", "application/pdf", Pdf)], Ct);
        Assert.True(answered.Succeeded);
        Assert.Equal(ApplicationStatus.Submitted, answered.Application!.Status);
        Assert.Equal(2, answered.Application.Attachments.Count);

        var approved = await workflow.ApproveAsync(officer, id, "Đủ điều kiện.", "Khám bệnh, chữa bệnh đa khoa", Ct);
        Assert.True(approved.Succeeded, string.Join("; ", approved.Problems.Select(p => p.Message)));
        var licence = approved.Application!.LicenceNumber!;
        Assert.Matches(@"^\d{6}/", licence);
        Assert.Equal(
            [ApplicationAction.Submitted, ApplicationAction.InformationRequested, ApplicationAction.InformationProvided, ApplicationAction.Approved],
            approved.Application.Steps.Select(s => s.Action));
        Assert.False((await workflow.RejectAsync(officer, id, "muộn", Ct)).Succeeded);   // approval is final

        // The applicant heard of each decision by SMS, at the mobile number on the application.
        var texts = app.Sms.MessagesTo("+84905123456").Select(m => m.Text).Where(t => t.Contains(number, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, texts.Count);
        Assert.Contains("can bo sung", texts[0], StringComparison.Ordinal);
        Assert.Contains($"giay phep so {licence}", texts[1], StringComparison.Ordinal);
        Assert.All(texts, t => Assert.True(t.Length <= 160, $"more than one SMS: {t}"));

        // The licence is on the holder's Practitioner, found by its number as a QĐ 4750 file would name it.
        using var fhir = app.CreateFhirClient();
        var found = await fhir.SearchAsync($"Practitioner?identifier={Uri.EscapeDataString("https://yteso.vn/fhir/sid/chung-chi-hanh-nghe|" + licence)}");
        var holder = (Practitioner)Assert.Single(found.Entry).Resource;
        Assert.Contains(holder.Identifier, i => i.System == "https://yteso.vn/fhir/sid/cccd" && i.Value == cccd);
        Assert.Equal("Khám bệnh, chữa bệnh đa khoa", holder.Qualification.Single().Code.Text.Split(": ")[1]);

        // The certificate's QR link opens the public page; a wrong code shows nothing about the holder.
        using var anonymous = app.CreateAnonymousClient();
        var page = await anonymous.GetStringAsync($"xac-minh/giay-phep?so={Uri.EscapeDataString(licence)}&ma={approved.Application.VerificationCode}", Ct);
        Assert.Contains("Giấy phép hợp lệ", page, StringComparison.Ordinal);
        Assert.Contains("Đặng Thị Mai Anh", page, StringComparison.Ordinal);
        var forged = await anonymous.GetStringAsync($"xac-minh/giay-phep?so={Uri.EscapeDataString(licence)}&ma=0000", Ct);
        Assert.Contains("Không xác minh được", forged, StringComparison.Ordinal);
        Assert.DoesNotContain("Đặng Thị Mai Anh", forged, StringComparison.Ordinal);

        // Every step is in the platform's audit trail, under the applicant or the officer.
        var audit = await app.Services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter { Action = AuditActions.Operation }, null, 200, Ct);
        var steps = audit.Records.Where(r => r.Record.Query?.Contains($"licence-application={number}&", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(4, steps.Count);
        Assert.Contains(steps, r => r.Record.Actor.Id == $"applicant/{number}" && r.Record.Query!.Contains("action=InformationProvided", StringComparison.Ordinal));
        Assert.Contains(steps, r => r.Record.Query!.Contains("action=Approved", StringComparison.Ordinal) && r.Record.Query.Contains("licence=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_licence_for_the_same_person_lands_on_the_same_practitioner_with_the_next_number()
    {
        var cccd = NewCccd();
        await using var scope = app.Services.CreateAsyncScope();
        var workflow = scope.ServiceProvider.GetRequiredService<LicensingWorkflow>();
        var officer = TestAccessResolver.ProvinceWide();

        var licences = new List<string>();
        var practitioners = new List<string>();
        foreach (var scopeText in new[] { "Khám bệnh, chữa bệnh đa khoa", "Siêu âm tổng quát" })
        {
            var submitted = await workflow.SubmitAsync(LicenceKind.PracticeLicence, Form(cccd) with { RequestedScope = scopeText }, [new("van-bang.pdf", "application/pdf", Pdf)], Ct);
            var approved = await workflow.ApproveAsync(officer, submitted.Application!.Id, null, null, Ct);
            Assert.True(approved.Succeeded, string.Join("; ", approved.Problems.Select(p => p.Message)));
            licences.Add(approved.Application!.LicenceNumber!);
            practitioners.Add(approved.Application.PractitionerId!);
        }

        Assert.Equal(practitioners[0], practitioners[1]);
        Assert.NotEqual(licences[0], licences[1]);
        using var fhir = app.CreateFhirClient();
        var holder = (await fhir.SendAsync<Practitioner>(HttpMethod.Get, $"Practitioner/{practitioners[0]}")).Resource;
        Assert.Equal(licences.Order(StringComparer.Ordinal), holder.Identifier.Where(i => i.System == "https://yteso.vn/fhir/sid/chung-chi-hanh-nghe").Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_operating_licence_goes_through_the_same_steps_and_lands_on_the_registered_facility()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var workflow = scope.ServiceProvider.GetRequiredService<LicensingWorkflow>();
        var officer = TestAccessResolver.ProvinceWide();
        var code = "66" + Random.Shared.Next(100, 999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var form = Form(NewCccd()) with { FacilityCode = code, RequestedScope = "Khám bệnh, chữa bệnh nội khoa; xét nghiệm cơ bản" };

        Assert.Contains((await workflow.SubmitAsync(LicenceKind.FacilityOperatingLicence, form with { FacilityCode = null }, [new("ho-so.pdf", "application/pdf", Pdf)], Ct)).Problems, p => p.Field == "facilityCode");
        var submitted = await workflow.SubmitAsync(LicenceKind.FacilityOperatingLicence, form, [new("ho-so.pdf", "application/pdf", Pdf)], Ct);
        Assert.True(submitted.Succeeded);

        // Not yet in the facility registry: the officer is told to register it first, and no number is spent.
        var early = await workflow.ApproveAsync(officer, submitted.Application!.Id, null, null, Ct);
        Assert.Contains(early.Problems, p => p.Field == "facilityCode" && p.Message.Contains(code, StringComparison.Ordinal));
        Assert.Null(early.Application!.LicenceNumber);

        using var fhir = app.CreateFhirClient();
        var address = new Address { City = "Xã Ea Kar", State = "Tỉnh Đắk Lắk", Country = "VN" };
        address.Extension.Add(new Extension("https://yteso.vn/fhir/StructureDefinition/commune-code", new Code("24373")));
        var facility = await fhir.CreateAsync(new Organization
        {
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/ma-co-so-kcb", code)],
            Active = true,
            Name = "Phòng khám đa khoa thử nghiệm " + code,
            Type = [new CodeableConcept("https://yteso.vn/fhir/CodeSystem/facility-type", "phong-kham", "Phòng khám")],
            Address = [address],
        });

        var approved = await workflow.ApproveAsync(officer, submitted.Application.Id, null, null, Ct);
        Assert.True(approved.Succeeded, string.Join("; ", approved.Problems.Select(p => p.Message)));
        var licence = approved.Application!.LicenceNumber!;
        Assert.EndsWith("-GPHĐ", licence, StringComparison.Ordinal);
        Assert.Null(approved.Application.PractitionerId);
        var stored = (await fhir.SendAsync<Organization>(HttpMethod.Get, $"Organization/{facility.Id}")).Resource;
        var held = Assert.Single(stored.Identifier, i => i.System == "https://yteso.vn/fhir/sid/giay-phep-hoat-dong");
        Assert.Equal(licence, held.Value);
        Assert.Equal(approved.Application.IssuedOn!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), held.Period.Start);

        var verified = await workflow.VerifyAsync(licence, approved.Application.VerificationCode, Ct);
        Assert.Equal(("active", facility.Name, (string?)"Đặng Thị Mai Anh"), (verified!.Status, verified.HolderName, verified.Representative));

        // The facility closes (its registry entry is deactivated): the same QR now says the licence is no longer in force.
        stored.Active = false;
        Assert.Equal(HttpStatusCode.OK, (await fhir.SendAsync<Organization>(HttpMethod.Put, $"Organization/{facility.Id}", stored)).Status);
        Assert.Equal("revoked", (await workflow.VerifyAsync(licence, approved.Application.VerificationCode, Ct))!.Status);
    }

    [Fact]
    public async Task A_bad_application_is_refused_field_by_field_and_nothing_is_stored()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var workflow = scope.ServiceProvider.GetRequiredService<LicensingWorkflow>();
        var before = (await workflow.ListAsync(null, 10_000, Ct)).Count;

        var form = new ApplicationForm("Mai", "12345", new DateOnly(2015, 1, 1), "12345", "Phù thủy", "", "ABC");
        // A "PDF" that is really something else is refused by its first bytes, whatever its name and declared type.
        var result = await workflow.SubmitAsync(LicenceKind.PracticeLicence, form, [new("van-bang.pdf", "application/pdf", Encoding.ASCII.GetBytes("MZ not a pdf"))], Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(
            new[] { "applicantName", "birthDate", "facilityCode", "files", "personalId", "phone", "profession", "requestedScope" },
            result.Problems.Select(p => p.Field!).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(before, (await workflow.ListAsync(null, 10_000, Ct)).Count);

        var noFiles = await workflow.SubmitAsync(LicenceKind.PracticeLicence, Form(NewCccd()), [], Ct);
        Assert.Contains(noFiles.Problems, p => p.Field == "files");
    }

    [Fact]
    public async Task The_officer_pages_are_closed_to_callers_without_the_licensing_role()
    {
        // Anonymous: sent to the sign-in page.
        using var anonymous = app.CreateAnonymousClient();
        using var response = await anonymous.GetAsync("giay-phep/tiep-nhan", Ct);
        Assert.Contains("/dang-nhap", response.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);

        // A signed-in client without the role or scope sees the refusal, not the applications.
        using var client = app.CreateClient();
        var page = await client.GetStringAsync("giay-phep/tiep-nhan", Ct);
        Assert.Contains("dành cho chuyên viên cấp phép", page, StringComparison.Ordinal);
        using var download = await client.GetAsync("giay-phep/tiep-nhan/1/tep/1", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
    }

    private static ApplicationForm Form(string cccd) =>
        new("Đặng Thị Mai Anh", cccd, new DateOnly(1992, 8, 14), "0905123456", "Bác sĩ", "Khám bệnh, chữa bệnh đa khoa", null);

    /// <summary>A synthetic CCCD: province 066 (Đắk Lắk), century/sex digit 3 (female, 1900s), year 92, random tail.</summary>
    private static string NewCccd() => "066392" + Random.Shared.Next(0, 999_999).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
