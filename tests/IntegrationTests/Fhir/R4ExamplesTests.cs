using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>
/// Referential integrity is off for this class: the R4 examples refer to one another and to resources that are not
/// in the package, and the point here is the round trip of every resource type, not the link checks. The package
/// also holds the specification's own definition bundles (up to 35 MB), so the body limit is raised for them.
/// </summary>
public sealed class ReferenceMaterialApp : YTeSoApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Fhir:EnforceReferentialIntegrity"] = "false", ["Fhir:MaxBodyMegabytes"] = "64" };
}

/// <summary>
/// Every JSON example of the official R4 examples package (npm hl7.fhir.r4.examples 4.0.1, CC0) is created and read
/// back semantically equal. .ci/run fetches the package; without it (no registry) the test skips.
/// </summary>
public sealed class R4ExamplesTests(ReferenceMaterialApp app) : IClassFixture<ReferenceMaterialApp>
{
    [Fact]
    public async Task Every_official_R4_json_example_is_created_and_read_back_semantically_equal()
    {
        var folder = Environment.GetEnvironmentVariable("YTESO_R4_EXAMPLES");
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            Assert.Skip("The R4 examples package is not present: set YTESO_R4_EXAMPLES to the unpacked 'package' folder of npm hl7.fhir.r4.examples (.ci/run does).");
        }

        var files = Directory.GetFiles(folder!, "*.json").Where(f => !f.EndsWith("package.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        // A lenient reader for the comparison only: the server decides what is acceptable, the test what came back.
        var parser = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));
        var failures = new ConcurrentBag<string>();
        var checkedCount = 0;
        var types = new ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (file, cancellationToken) =>
        {
            var json = await File.ReadAllTextAsync(file, cancellationToken);
            if (JsonNode.Parse(json)?["resourceType"]?.GetValue<string>() is not { } type)
            {
                return;
            }

            using var fhir = app.CreateFhirClient();
            using var created = await fhir.PostAsync(type, FhirHttp.Json(json), cancellationToken);
            if (created.StatusCode != HttpStatusCode.Created)
            {
                failures.Add($"{Path.GetFileName(file)}: create answered {(int)created.StatusCode} {Trim(await created.Content.ReadAsStringAsync(cancellationToken))}");
                return;
            }

            var location = created.Headers.Location!.ToString().Split("/_history")[0];
            using var read = await fhir.GetAsync(location, cancellationToken);
            var stored = parser.DeserializeResource(await read.Content.ReadAsStringAsync(cancellationToken));
            var original = parser.DeserializeResource(json);

            // The server assigns id, versionId and lastUpdated; everything else must come back as sent.
            original.Id = stored.Id;
            original.Meta ??= new Meta();
            original.Meta.VersionId = stored.Meta.VersionId;
            original.Meta.LastUpdated = stored.Meta.LastUpdated;
            if (!SameDecimals(stored).IsExactly(SameDecimals(original)))
            {
                failures.Add($"{Path.GetFileName(file)}: read back differs from what was sent");
            }

            types.AddOrUpdate(type, 1, (_, n) => n + 1);
            Interlocked.Increment(ref checkedCount);
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {files.Count} examples failed:\n{string.Join('\n', failures.Order().Take(40))}");
        Assert.True(checkedCount > 5000, $"only {checkedCount} examples were checked");
        Assert.True(types.Count >= 140, $"only {types.Count} resource types were covered");
    }

    /// <summary>
    /// A decimal beyond System.Decimal's range (Observation-decimal: -1.000000000000000000E+245) comes back from
    /// PostgreSQL's jsonb with the same value written without the exponent; compare such numbers by value (ADR 0004).
    /// </summary>
    private static Resource SameDecimals(Resource resource)
    {
        foreach (var (node, _) in YTeSo.Fhir.Serialization.FhirTree.Descendants(resource))
        {
            if (node is FhirDecimal { JsonValue: string text } number
                && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                number.JsonValue = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return resource;
    }

    private static string Trim(string text) => text.Length <= 300 ? text : text[..300];
}
