using System.Formats.Tar;
using System.IO.Compression;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Cli;

/// <summary>Real-world-shaped Synthea transaction bundles, packed in a .tgz as a province would receive them, in a database of their own.</summary>
public sealed class SyntheaArchiveImportTests(YTeSoApp app) : IClassFixture<YTeSoApp>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("yteso-synthea-").FullName;

    [Fact]
    public async Task Synthea_bundles_in_a_tgz_archive_import_with_their_references_resolved()
    {
        var source = SharedData.RequireFile("synthea-r4-500.tgz");
        var archive = Path.Combine(_folder, "synthea-5.tgz");
        var expected = await CopyFirstEntriesAsync(source, archive, 5);

        var (exitCode, output) = await YTeSoCli.ImportAsync(app, archive);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"{expected.Sum(e => e.Value):N0} resources imported", output, StringComparison.Ordinal);
        using var fhir = app.CreateFhirClient();
        var patients = await fhir.SearchAsync("Patient?_summary=count&family:missing=false");
        Assert.True(patients.Total >= expected["Patient"], $"{patients.Total} patients");
        var unresolved = await fhir.SearchAsync("Observation?subject:missing=true&_summary=count");
        Assert.Equal(0, unresolved.Total);
        var observations = await fhir.SearchAsync("Observation?_count=20&_include=Observation:subject");
        Assert.All(observations.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Match).Select(e => (Observation)e.Resource),
            o => Assert.Contains(observations.Entry, e => $"{e.Resource.TypeName}/{e.Resource.Id}" == o.Subject.Reference));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<Dictionary<string, int>> CopyFirstEntriesAsync(string source, string target, int count)
    {
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var input = new TarReader(new GZipStream(File.OpenRead(source), CompressionMode.Decompress));
        await using var output = new TarWriter(new GZipStream(File.Create(target), CompressionLevel.Fastest));
        var copied = 0;
        while (copied < count && await input.GetNextEntryAsync(copyData: true) is { } entry)
        {
            if (entry.DataStream is null || !entry.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using var buffer = new MemoryStream();
            await entry.DataStream.CopyToAsync(buffer);
            buffer.Position = 0;
            foreach (var e in System.Text.Json.Nodes.JsonNode.Parse(buffer)!["entry"]!.AsArray())
            {
                var type = (string)e!["resource"]!["resourceType"]!;
                types[type] = types.GetValueOrDefault(type) + 1;
            }

            buffer.Position = 0;
            entry.DataStream = buffer;
            await output.WriteEntryAsync(entry);
            copied++;
        }

        return types;
    }
}
