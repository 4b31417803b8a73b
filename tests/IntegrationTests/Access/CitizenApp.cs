using System.Net;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using YTeSo.Access.Sms;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// The access host with the SMS simulator (its captured messages are how a test reads a code) and a clock the tests
/// move (codes expire, throttles open). Citizens are Patient resources written with the province-wide test client.
/// </summary>
public partial class CitizenApp : AccessApp
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Security:Sms:Provider"] = "Simulator",
        // Every test posts from 127.0.0.1; the per-address limit has its own test (RateLimitTests).
        ["Security:SignInAttemptsPerMinute"] = "1000",
    };

    internal SimulatedSmsGateway Sms => Services.GetRequiredService<SimulatedSmsGateway>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Writes a synthetic citizen (CCCD, mobile number, name) with one Observation; returns the ids.</summary>
    public async Task<(string PatientId, string ObservationId)> CreateCitizenAsync(string cccd, string phone, string family = "Trần", string given = "Thị Mai")
    {
        var patientId = "cd-" + cccd;
        await EnsureFacilityAsync(FacilityA);
        using var fhir = CreateFhirClient();
        var patient = new Patient
        {
            Id = patientId,
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/cccd", cccd)],
            Name = [new HumanName { Use = HumanName.NameUse.Official, Family = family, Given = [.. given.Split(' ')] }],
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, phone)],
            ManagingOrganization = new ResourceReference($"Organization/{FacilityA}"),
        };
        using (var put = await fhir.PutAsync($"Patient/{patientId}", FhirHttp.Json(patient)))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var observation = new Observation
        {
            Id = "obs-" + cccd,
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "29463-7", "Body weight"),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Value = new Quantity(58, "kg"),
        };
        using (var put = await fhir.PutAsync($"Observation/{observation.Id}", FhirHttp.Json(observation)))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        return (patientId, observation.Id);
    }

    /// <summary>Step 1 of the sign-in form, as a browser posts it; returns the page that follows.</summary>
    public static async Task<string> RequestCodeAsync(HttpClient browser, string cccd, string phone)
    {
        var fields = HiddenFields(await browser.GetStringAsync("cong-dan/dang-nhap"));
        fields["Start.Cccd"] = cccd;
        fields["Start.Phone"] = phone;
        using var response = await browser.PostAsync("cong-dan/dang-nhap", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Step 2: posts a code with the form of the page step 1 returned.</summary>
    public static async Task<HttpResponseMessage> PostCodeAsync(HttpClient browser, string codePage, string code)
    {
        var fields = HiddenFields(codePage);
        fields["Code.Value"] = code;
        return await browser.PostAsync("cong-dan/dang-nhap", new FormUrlEncodedContent(fields));
    }

    /// <summary>The code in the last SMS the simulator captured for a phone (E.164), or null.</summary>
    public string? LastCode(string e164) =>
        Sms.MessagesTo(e164) is { Count: > 0 } messages ? SixDigits().Match(messages[^1].Text).Value : null;

    /// <summary>A new citizen who asked for a code: the browser, the page with the code form, and the code they received.</summary>
    public async Task<(HttpClient Browser, string CodePage, string Code)> CitizenWithCodeAsync(string cccd, string phone, string e164)
    {
        await CreateCitizenAsync(cccd, phone);
        var browser = CreateBrowserClient();
        var codePage = await RequestCodeAsync(browser, cccd, phone);
        return (browser, codePage, LastCode(e164) ?? throw new InvalidOperationException("No SMS was captured for " + e164));
    }

    /// <summary>Signs a citizen in through both steps; returns the browser holding the session.</summary>
    public async Task<HttpClient> SignedInCitizenAsync(string cccd, string phone, string e164)
    {
        var browser = CreateBrowserClient();
        var codePage = await RequestCodeAsync(browser, cccd, phone);
        using var signedIn = await PostCodeAsync(browser, codePage, LastCode(e164)!);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        return browser;
    }

    [GeneratedRegex("\\b\\d{6}\\b")]
    private static partial Regex SixDigits();
}
