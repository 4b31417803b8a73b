using Hl7.Fhir.Model;
using YTeSo.Patients.Domain.Identifiers;

namespace YTeSo.Patients.LinkPatients;

/// <summary>
/// The golden record of one person: a Patient derived from its source records and linked to each of them
/// (<c>Patient.link</c>, type <c>seealso</c>). Sources are never changed, so nothing a facility sent is lost and any link
/// can be undone by deriving again. It carries the tag <see cref="TagSystem"/>|<see cref="TagCode"/>, which is how the
/// MPI (and any client) tells it from a facility's record: <c>Patient?_tag=https://yteso.vn/fhir/CodeSystem/mpi|golden</c>.
/// </summary>
internal static class GoldenRecord
{
    public const string TagSystem = "https://yteso.vn/fhir/CodeSystem/mpi";
    public const string TagCode = "golden";

    /// <summary>The golden record's own identifier (the MPI person id).</summary>
    public const string IdentifierSystem = IdentifierSystems.Base + "mpi";

    public static bool IsGolden(Patient patient) =>
        patient.Meta?.Tag.Any(t => t.System == TagSystem && t.Code == TagCode) == true;

    /// <summary>
    /// Survivorship: identifiers and phones are the union of the sources'; name, birth date, sex and address come from the
    /// most recently updated source that has them, preferring a name written with diacritics and the most precise date.
    /// </summary>
    public static Patient Compose(string goldenId, IReadOnlyList<Patient> sources)
    {
        var newestFirst = sources.OrderByDescending(s => s.Meta?.LastUpdated ?? DateTimeOffset.MinValue).ToList();
        var golden = new Patient
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

        golden.Link = [.. sources.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => new Patient.LinkComponent
        {
            Other = new ResourceReference($"Patient/{s.Id}"),
            Type = Patient.LinkType.Seealso,
        })];
        return golden;
    }

    private static bool HasDiacritics(HumanName name)
    {
        var text = name.Text ?? string.Join(' ', name.Given.Prepend(name.Family ?? ""));
        return text.Any(c => c > 127);
    }
}
