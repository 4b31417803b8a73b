using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>
/// A small, hand-made dataset whose search results are worked out by hand in <see cref="SearchTests"/>. Every resource
/// carries a tag unique to this fixture, and every query filters on it.
/// </summary>
public sealed class SearchFixture : YTeSoApp
{
    public string Tag { get; } = "urn:yteso:test|search-" + Guid.NewGuid().ToString("N")[..10];

    public Dictionary<string, string> Ids { get; } = [];

    public DateTimeOffset SeededAt { get; private set; }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        SeededAt = DateTimeOffset.UtcNow;
        using var fhir = CreateFhirClient();
        var tag = new Coding("urn:yteso:test", Tag.Split('|')[1]);
        T Tagged<T>(T resource)
            where T : Resource
        {
            resource.Meta = new Meta { Tag = [tag] };
            return resource;
        }

        Ids["pr1"] = (await fhir.CreateAsync(Tagged(new Practitioner { Name = [new HumanName { Family = "Phạm", Given = ["Minh", "Đức"] }] }))).Id;
        Ids["p1"] = (await fhir.CreateAsync(Tagged(new Patient
        {
            Name = [new HumanName { Family = "Nguyễn", Given = ["Văn", "An"] }],
            Gender = AdministrativeGender.Male,
            BirthDate = "1990-02-03",
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/cccd", "079090000001")],
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "0901000001")],
            Address = [new Address { City = "Vũng Tàu" }],
        }))).Id;
        Ids["p2"] = (await fhir.CreateAsync(Tagged(new Patient
        {
            Name = [new HumanName { Family = "Nguyễn", Given = ["Thị", "Bình"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = "1985-11-20",
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/cccd", "079185000002")],
        }))).Id;
        Ids["p3"] = (await fhir.CreateAsync(Tagged(new Patient
        {
            Name = [new HumanName { Family = "Trần", Given = ["Văn", "Cường"] }],
            Gender = AdministrativeGender.Male,
            BirthDate = "2001-05",
            Active = false,
        }))).Id;
        Ids["p4"] = (await fhir.CreateAsync(Tagged(new Patient
        {
            // "Hoà" typed with a combining grave accent (decomposed), as some keyboards produce it.
            Name = [new HumanName { Family = "Lê", Given = ["Thị", "Hoa\u0300"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = "1990",
            GeneralPractitioner = [new ResourceReference($"Practitioner/{Ids["pr1"]}")],
        }))).Id;

        Ids["o1"] = (await fhir.CreateAsync(Tagged(Weight("p1", 65m, "kg", new FhirDateTime("2025-01-10T08:00:00Z"))))).Id;
        Ids["o2"] = (await fhir.CreateAsync(Tagged(Weight("p1", 70.5m, "kg", new FhirDateTime("2025-06-15"))))).Id;
        Ids["o3"] = (await fhir.CreateAsync(Tagged(Weight("p2", 52m, "kg", new FhirDateTime("2024-12-31T23:00:00Z"))))).Id;
        var height = Weight("p2", 158m, "cm", new FhirDateTime("2025-03"));
        height.Code = new CodeableConcept("http://loinc.org", "8302-2", "Body height");
        Ids["o4"] = (await fhir.CreateAsync(Tagged(height))).Id;
        Ids["o5"] = (await fhir.CreateAsync(Tagged(new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "85354-9", "Blood pressure panel", "Huyết áp"),
            Subject = new ResourceReference($"Patient/{Ids["p3"]}"),
            Effective = new Period(new FhirDateTime("2025-02-01"), new FhirDateTime("2025-02-03")),
        }))).Id;

        Ids["ra1"] = (await fhir.CreateAsync(Tagged(Risk(0.25m)))).Id;
        Ids["ra2"] = (await fhir.CreateAsync(Tagged(Risk(0.8m)))).Id;
        Ids["vs1"] = (await fhir.CreateAsync(Tagged(new ValueSet { Url = "http://yteso.vn/fhir/ValueSet/a", Status = PublicationStatus.Active }))).Id;
        Ids["vs2"] = (await fhir.CreateAsync(Tagged(new ValueSet { Url = "http://yteso.vn/fhir/ValueSet/a/b", Status = PublicationStatus.Active }))).Id;
    }

    private Observation Weight(string patient, decimal value, string unit, DataType effective) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "29463-7", "Body weight"),
        Subject = new ResourceReference($"Patient/{Ids[patient]}"),
        Value = new Quantity { Value = value, Unit = unit, System = "http://unitsofmeasure.org", Code = unit },
        Effective = effective,
    };

    private RiskAssessment Risk(decimal probability) => new()
    {
        Status = ObservationStatus.Final,
        Subject = new ResourceReference($"Patient/{Ids["p1"]}"),
        Prediction = [new RiskAssessment.PredictionComponent { Probability = new FhirDecimal(probability) }],
    };
}
