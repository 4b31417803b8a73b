using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>Firely's FhirClient, a client nobody here wrote, drives every basic interaction against the real server.</summary>
public sealed class FhirClientTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    private FhirClient Client() => new(app.FhirBase, app.CreateClient(), new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = true });

    [Fact]
    public async Task A_real_FHIR_client_creates_reads_updates_searches_and_deletes()
    {
        var client = Client();
        var marker = "ytt-" + Guid.NewGuid().ToString("N")[..8];
        var patient = new Patient
        {
            Name = [new HumanName { Family = "Trần", Given = ["Thị", "Hoa"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = "1985-07-14",
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/cccd", "001185" + Random.Shared.Next(100000, 999999))],
            Meta = new Meta { Tag = [new Coding("urn:yteso:test", marker)] },
        };

        var created = await client.CreateAsync(patient);
        var read = await client.ReadAsync<Patient>($"Patient/{created!.Id}");
        read!.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, "0912345678"));
        var updated = await client.UpdateAsync(read);
        var found = await client.SearchAsync<Patient>(["name=tran thi", $"_tag=urn:yteso:test|{marker}"]);
        var history = await client.HistoryAsync($"Patient/{created.Id}");
        await client.DeleteAsync($"Patient/{created.Id}");
        var afterDelete = await Assert.ThrowsAsync<FhirOperationException>(() => client.ReadAsync<Patient>($"Patient/{created.Id}"));

        Assert.Equal("1", created.Meta.VersionId);
        Assert.Equal("Trần", read.Name[0].Family);
        Assert.Equal("2", updated!.Meta.VersionId);
        Assert.Equal("0912345678", updated.Telecom.Single().Value);
        Assert.Equal(created.Id, Assert.Single(found!.Entry, e => e.Search.Mode == Bundle.SearchEntryMode.Match).Resource.Id);
        Assert.Equal(2, history!.Entry.Count);
        Assert.Equal(System.Net.HttpStatusCode.Gone, afterDelete.Status);
    }

    [Fact]
    public async Task A_real_FHIR_client_runs_a_transaction_with_internal_references()
    {
        var client = Client();
        var patientUrl = "urn:uuid:" + Guid.NewGuid();
        var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
        transaction.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = patientUrl,
            Resource = new Patient { Name = [new HumanName { Family = "Lê", Given = ["Minh"] }] },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" },
        });
        transaction.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Observation
            {
                Status = ObservationStatus.Final,
                Code = new CodeableConcept("http://loinc.org", "29463-7", "Body weight"),
                Subject = new ResourceReference(patientUrl),
                Value = new Quantity(58.2m, "kg"),
            },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" },
        });

        var response = await client.TransactionAsync(transaction);

        Assert.Equal(Bundle.BundleType.TransactionResponse, response!.Type);
        Assert.All(response.Entry, e => Assert.StartsWith("201", e.Response.Status, StringComparison.Ordinal));
        var observationId = response.Entry[1].Response.Location.Split('/')[1];
        var observation = await client.ReadAsync<Observation>($"Observation/{observationId}");
        var patientId = response.Entry[0].Response.Location.Split('/')[1];
        Assert.Equal($"Patient/{patientId}", observation!.Subject.Reference);
    }

    [Fact]
    public async Task The_capability_statement_lists_what_the_server_supports()
    {
        var client = Client();

        var capabilities = await client.CapabilityStatementAsync();

        var patient = capabilities!.Rest[0].Resource.Single(r => r.Type == "Patient");
        Assert.Equal(FHIRVersion.N4_0_1, capabilities.FhirVersion);
        Assert.Contains(patient.SearchParam, p => p.Name == "birthdate");
        Assert.Contains(patient.Operation, o => o.Name == "everything");
        Assert.True(capabilities.Rest[0].Resource.Count > 140);
    }
}
