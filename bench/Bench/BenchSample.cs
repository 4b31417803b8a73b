using System.Text.Json;

namespace YTeSo.Bench;

/// <summary>One sampled citizen: what the search mix asks about them, and how many results each query must return.</summary>
internal sealed record SampledCitizen(
    string PatientId, string Cccd, int Encounters, int Immunizations, int WeightObservations, string? FirstWeightDate, string? LastWeightDate);

/// <summary>
/// What <c>seed</c> remembers about a dataset so the load runs can ask for things that exist: resource ids to read and
/// citizens to search for. Saved next to the data as <c>bench-sample.json</c>.
/// </summary>
internal sealed record BenchSample(int Patients, long Resources, List<string> ReadPaths, List<SampledCitizen> Citizens)
{
    public const string FileName = "bench-sample.json";

    public static async Task<BenchSample> LoadAsync(string dataDirectory)
    {
        await using var file = File.OpenRead(Path.Combine(dataDirectory, FileName));
        return await JsonSerializer.DeserializeAsync<BenchSample>(file) ?? throw new InvalidDataException("Empty sample file.");
    }

    public async Task SaveAsync(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        await using var file = File.Create(Path.Combine(dataDirectory, FileName));
        await JsonSerializer.SerializeAsync(file, this);
    }
}
