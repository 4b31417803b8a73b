using Hl7.Fhir.Model;
using YTeSo.Patients.Domain.Identifiers;

namespace YTeSo.Patients.LinkPatients;

/// <summary>
/// The golden record of one person: a FHIR <c>Person</c> derived from its source Patients and linked to each of them
/// (<c>Person.link.target</c>). R4 gives Person exactly this role ("a centralized register of people", person.html §Scope);
/// a golden record kept as a second Patient would answer every search by CCCD twice and break each facility's
/// conditional create. Sources are never changed, so nothing a facility sent is lost and any link can be undone by
/// deriving again. Find a patient's golden record with <c>Person?patient=Patient/{id}</c>; it carries the tag
/// <see cref="TagSystem"/>|<see cref="TagCode"/> as well, so a client can tell it from any other Person.
/// </summary>
internal static class GoldenRecord
{
    public const string TagSystem = "https://yteso.vn/fhir/CodeSystem/mpi";
    public const string TagCode = "golden";

    /// <summary>The golden record's own identifier (the MPI person id).</summary>
    public const string IdentifierSystem = IdentifierSystems.Base + "mpi";

    /// <summary>One source and how sure the MPI is that it belongs to the person.</summary>
    public sealed record Source(Patient Patient, bool ByMatcher);

    /// <summary>
    /// Survivorship: identifiers and phones are the union of the sources'; name, birth date, sex and address come from the
    /// most recently updated source that has them, preferring a name written with diacritics and the most precise date.
    /// </summary>
    public static Person Compose(string goldenId, IReadOnlyList<Source> sources)
    {
        var newestFirst = sources.Select(s => s.Patient).OrderByDescending(s => s.Meta?.LastUpdated ?? DateTimeOffset.MinValue).ToList();
        var golden = new Person
        {
            Id = goldenId,
            Meta = new Meta { Tag = [new Coding(TagSystem, TagCode, "Hồ sơ gốc (MPI)")] },
            Active = true,
        };
        golden.Identifier.Add(new Identifier(IdentifierSystem, goldenId) { Use = Identifier.IdentifierUse.Official });
        foreach (var identifier in newestFirst.SelectMany(s => s.Identifier)
                     .Where(i => i.System is not null && i.Value is not null && i.System != IdentifierSystems.Temporary)
                     .DistinctBy(i => (i.System, i.Value)))
        {
            golden.Identifier.Add((Identifier)identifier.DeepCopy());
        }

        var named = newestFirst.Where(s => s.Name.Count > 0).ToList();
        var bestName = named.FirstOrDefault(s => HasDiacritics(s.Name[0])) ?? named.FirstOrDefault();
        if (bestName is not null)
        {
            golden.Name = [(HumanName)bestName.Name[0].DeepCopy()];
        }

        golden.BirthDate = newestFirst.Select(s => s.BirthDate).Where(d => !string.IsNullOrEmpty(d)).OrderByDescending(d => d!.Length).FirstOrDefault();
        golden.Gender = newestFirst.Select(s => s.Gender).FirstOrDefault(g => g is not null and not AdministrativeGender.Unknown)
            ?? newestFirst.Select(s => s.Gender).FirstOrDefault(g => g is not null);
        golden.Telecom = [.. newestFirst.SelectMany(s => s.Telecom).Where(t => t.Value is not null).DistinctBy(t => (t.System, t.Value)).Select(t => (ContactPoint)t.DeepCopy())];
        if (newestFirst.FirstOrDefault(s => s.Address.Count > 0) is { } addressed)
        {
            golden.Address = [.. addressed.Address.Select(a => (Address)a.DeepCopy())];
        }

        // Person.link.assurance (R4 identity-assuranceLevel): level3 for a link the matcher made,
        // level4 for the record that started the person or a reviewer's decision.
        golden.Link = [.. sources.OrderBy(s => s.Patient.Id, StringComparer.Ordinal).Select(s => new Person.LinkComponent
        {
            Target = new ResourceReference($"Patient/{s.Patient.Id}"),
            Assurance = s.ByMatcher ? Person.IdentityAssuranceLevel.Level3 : Person.IdentityAssuranceLevel.Level4,
        })];
        return golden;
    }

    private static bool HasDiacritics(HumanName name)
    {
        var text = name.Text ?? string.Join(' ', name.Given.Prepend(name.Family ?? ""));
        return text.Any(c => c > 127);
    }
}
