using System.Reflection;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Contracts;
using YTeSo.Registry.Terminology.ImportCodeLists;
using YTeSo.Registry.Terminology.Index;

namespace YTeSo.Registry.Terminology.ShippedLists;

/// <summary>
/// The code lists YTeSo ships (embedded CSV files beside this class, docs/terminology.md), written into the FHIR
/// store as CodeSystem and ValueSet resources with fixed ids on every start of the web host, in production as in the
/// demo: a list added or corrected in a release reaches every installation, and an unchanged list is not written again
/// (<see cref="TerminologyWriter"/>), so a restart adds no version.
/// </summary>
internal sealed class ShippedCodeLists(TerminologyWriter writer, TerminologyIndex index, ILogger<ShippedCodeLists> logger) : IHostedService
{
    private const string ResourcePrefix = "YTeSo.Registry.Terminology.";

    /// <summary>The ICD-10 sample is written in the Ministry's layout and read by the ICD-10 importer itself.</summary>
    public const string Icd10SampleFile = "icd10-sample.csv";

    public static readonly Icd10Version Icd10Sample = new("icd-10-vn-sample", "4469/QĐ-BYT-2020-mau", null, null, Sample: true);

    private static readonly FhirAccess System = FhirAccess.System("Shipped code lists");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var resources = Read();
        var report = await writer.WriteAsync(System, resources, cancellationToken);
        logger.LogInformation("Shipped code lists: {Written} written, {Unchanged} unchanged.", report.Written, report.Unchanged);

        // Build the index now, so the first request does not pay for it.
        await index.CurrentAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every shipped resource, from the embedded files; a bad file is a build defect, so it throws.</summary>
    public static List<Resource> Read()
    {
        var assembly = typeof(ShippedCodeLists).Assembly;
        var resources = new List<Resource>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[ResourcePrefix.Length..];
            using var stream = Open(assembly, name);
            if (file == Icd10SampleFile)
            {
                resources.Add(Icd10File.Read(stream, file, Icd10Sample));
                continue;
            }

            using var reader = new StreamReader(stream);
            var (codeSystem, valueSet) = CodeListFile.Read(reader, file);
            resources.Add(codeSystem);
            if (!resources.OfType<ValueSet>().Any(v => v.Id == valueSet.Id))
            {
                resources.Add(valueSet);
            }
        }

        resources.Add(Icd10AllCodes());
        return resources;
    }

    /// <summary>Every ICD-10 code of the version in force: the full list once imported, the sample until then.</summary>
    private static ValueSet Icd10AllCodes() => new()
    {
        Id = "icd-10",
        Url = TerminologySystems.Icd10AllValueSet,
        Name = "ICD10All",
        Title = "Toàn bộ mã ICD-10",
        Status = PublicationStatus.Active,
        Description = new Markdown("Every code of http://hl7.org/fhir/sid/icd-10 in the version in force on the day asked (the Ministry of Health's list once imported with `yteso import icd10`, the shipped sample until then)."),
        Compose = new ValueSet.ComposeComponent { Include = [new ValueSet.ConceptSetComponent { System = TerminologySystems.Icd10 }] },
    };

    private static Stream Open(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Embedded code list {name} is missing.");
}
