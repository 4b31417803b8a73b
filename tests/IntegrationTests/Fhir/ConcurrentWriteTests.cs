using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>Writes that race each other keep the record consistent, on SQLite and on PostgreSQL.</summary>
public sealed class ConcurrentWriteTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Fact]
    public async Task Concurrent_conditional_creates_of_one_citizen_store_exactly_one_patient()
    {
        var cccd = "0791" + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var patient = new Patient
        {
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/cccd", cccd)],
            Name = [new HumanName { Family = "Phạm", Given = ["Văn", "Dũng"] }],
        };

        var statuses = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var fhir = app.CreateFhirClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = FhirHttp.Json(patient) };
            request.Headers.Add("If-None-Exist", $"identifier=https://yteso.vn/fhir/sid/cccd|{cccd}");
            using var response = await fhir.SendAsync(request, TestContext.Current.CancellationToken);
            return response.StatusCode;
        }));

        using var client = app.CreateFhirClient();
        var found = await client.SearchAsync($"Patient?identifier=https://yteso.vn/fhir/sid/cccd|{cccd}");
        Assert.Single(found.MatchIds());
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task Concurrent_patches_of_one_resource_lose_no_change()
    {
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(new Patient
        {
            Name = [new HumanName { Family = "Lê", Given = ["Minh"] }],
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "0900000099")],
        });

        // Each patch appends one telecom entry; a lost update would drop some of them.
        await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var client = app.CreateFhirClient();
            var phone = "09000000" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            var body = """[{"op":"add","path":"/telecom/-","value":{"system":"phone","value":"PHONE"}}]""".Replace("PHONE", phone, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"Patient/{created.Id}")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json-patch+json"),
            };
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }));

        var (_, stored) = await fhir.SendAsync<Patient>(HttpMethod.Get, $"Patient/{created.Id}");
        Assert.Equal(7, stored.Telecom.Count);
        Assert.Equal("7", stored.Meta.VersionId);
    }

    [Fact]
    public async Task A_patch_inside_a_transaction_sees_the_update_made_earlier_in_the_same_bundle()
    {
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(new Patient { Name = [new HumanName { Family = "Võ", Given = ["Thị", "Sáu"] }] });
        var updated = new Patient { Id = created.Id, Name = created.Name, Gender = AdministrativeGender.Female };
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new Bundle.EntryComponent { Resource = updated, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Patient/{created.Id}" } },
                new Bundle.EntryComponent
                {
                    Resource = new Binary { ContentType = "application/json-patch+json", Data = Encoding.UTF8.GetBytes("""[{"op":"add","path":"/birthDate","value":"1950"}]""") },
                    Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PATCH, Url = $"Patient/{created.Id}" },
                },
            ],
        };

        var (status, _) = await fhir.SendAsync<Bundle>(HttpMethod.Post, string.Empty, bundle);

        Assert.Equal(HttpStatusCode.OK, status);
        var (_, stored) = await fhir.SendAsync<Patient>(HttpMethod.Get, $"Patient/{created.Id}");
        Assert.Equal(AdministrativeGender.Female, stored.Gender);
        Assert.Equal("1950", stored.BirthDate);
    }

    [Fact]
    public async Task Patching_a_deleted_resource_answers_410()
    {
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(new Patient { Name = [new HumanName { Family = "Đỗ" }] });
        using (await fhir.DeleteAsync($"Patient/{created.Id}", TestContext.Current.CancellationToken))
        {
        }

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"Patient/{created.Id}")
        {
            Content = new StringContent("""[{"op":"add","path":"/active","value":true}]""", Encoding.UTF8, "application/json-patch+json"),
        };
        using var response = await fhir.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }
}
