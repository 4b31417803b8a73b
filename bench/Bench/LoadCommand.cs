using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using YTeSo.Platform.Text;

namespace YTeSo.Bench;

internal enum LoadKind
{
    Read,
    Search,
}

/// <summary>
/// <c>read</c> and <c>search</c>: start the real server on a seeded dataset, check a sample of answers in full, then
/// drive it with the load generator and report throughput, latency, errors and the server's memory.
/// </summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(LoadKind kind, BenchArguments arguments)
    {
        var sample = await BenchSample.LoadAsync(arguments.DataDirectory);
        // Every FHIR request needs a token since the Access module: one province-wide system client, as a regional HIS.
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using var server = await ServerProcess.StartAsync(arguments, AccessHttpBenchmark.ClientSettings([("bench-load", null)], secret));
        var token = await AccessHttpBenchmark.TokenAsync(server.BaseAddress, "bench-load", secret);
        var mix = (kind == LoadKind.Read ? ReadMix(sample) : SearchMix(sample)).Select(r => r with { Token = token }).ToList();
        var startedWorkingSet = server.WorkingSet();
        await SearchMixChecks.VerifyAsync(server.BaseAddress, token, sample, kind);

        Console.WriteLine($"{kind} on {arguments.Db}, {sample.Resources:N0} resources ({sample.Patients:N0} citizens), {arguments.Connections} connections, " +
            $"{arguments.WarmupSeconds} s warm-up + {arguments.Seconds} s, {Environment.ProcessorCount} cores shared by client and server");
        await LoadGenerator.RunAsync(server.BaseAddress, mix, arguments.Connections, TimeSpan.FromSeconds(arguments.WarmupSeconds));
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await LoadGenerator.RunAsync(server.BaseAddress, mix, arguments.Connections, TimeSpan.FromSeconds(arguments.Seconds));
        clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpu;

        Console.WriteLine($"  requests/s {result.RequestsPerSecond:N0}   requests {result.Requests:N0}   errors {result.Errors:N0}");
        Console.WriteLine($"  latency ms p50 {result.P50:N2}   p95 {result.P95:N2}   p99 {result.P99:N2}");
        foreach (var k in result.Kinds)
        {
            Console.WriteLine($"    {k.Kind,-28} {k.Requests / result.Seconds,8:N0}/s  errors {k.Errors,4}  p50 {k.P50,7:N2} ms  p99 {k.P99,7:N2} ms");
        }

        Console.WriteLine($"  server working set: at start {startedWorkingSet / 1048576.0:N0} MB, peak {server.PeakWorkingSet() / 1048576.0:N0} MB");
        Console.WriteLine($"  load generator CPU: {clientCpu.TotalSeconds / result.Seconds * 100:N0}% of one core (of {Environment.ProcessorCount * 100}%)");
        return result.Errors == 0 ? 0 : 1;
    }

    private static List<LoadRequest> ReadMix(BenchSample sample)
    {
        // Shuffled with a fixed seed so the run touches the whole dataset, not the hot front of it, and repeats.
        var random = new Random(7);
        var paths = sample.ReadPaths.ToArray();
        random.Shuffle(paths);
        return [.. paths.Select(path => new LoadRequest("read " + path.Split('/')[0], path, (status, body) => status == HttpStatusCode.OK && body.Length > 0))];
    }

    /// <summary>
    /// What a provincial hub sees: look a citizen up by CCCD or by name, then open their record (vital signs over a
    /// period, visits, vaccinations); plus a cohort query by diagnosis code. Weights are per ten requests.
    /// </summary>
    private static List<LoadRequest> SearchMix(BenchSample sample)
    {
        var requests = new List<LoadRequest>();
        foreach (var (citizen, i) in sample.Citizens.Select((c, i) => (c, i)))
        {
            requests.Add(new("Patient?identifier", SearchMixChecks.ByIdentifier(citizen), Total(1)));
            requests.Add(new("Patient?identifier", SearchMixChecks.ByIdentifier(citizen), Total(1)));
            if (citizen.WeightObservations > 0)
            {
                requests.Add(new("Observation?code&date&_sort", SearchMixChecks.Weights(citizen), Total(citizen.WeightObservations)));
                requests.Add(new("Observation?code&date&_sort", SearchMixChecks.Weights(citizen), Total(citizen.WeightObservations)));
            }

            requests.Add(new("Encounter?subject", SearchMixChecks.Encounters(citizen), Total(citizen.Encounters)));
            requests.Add(new("Encounter?subject", SearchMixChecks.Encounters(citizen), Total(citizen.Encounters)));
            if (citizen.Immunizations > 0)
            {
                requests.Add(new("Immunization?patient", SearchMixChecks.Immunizations(citizen), Total(citizen.Immunizations)));
            }

            requests.Add(new("Patient?name", SearchMixChecks.NameUrl(SearchMixChecks.FamilyNames[i % SearchMixChecks.FamilyNames.Length]), AtLeast(1)));
            requests.Add(new("Condition?code", SearchMixChecks.ConditionUrl(SearchMixChecks.ConditionCodes[i % SearchMixChecks.ConditionCodes.Length]), AtLeast(1)));
        }

        return requests;
    }

    private static Func<HttpStatusCode, byte[], bool> Total(int expected) => (status, body) => status == HttpStatusCode.OK && SearchMixChecks.ReadTotal(body) == expected;

    // A broad search may leave Bundle.total out (more than FhirSearchPage.DefaultTotalLimit matches); then its first
    // page must still hold entries.
    private static Func<HttpStatusCode, byte[], bool> AtLeast(int expected) => (status, body) =>
        status == HttpStatusCode.OK && (SearchMixChecks.ReadTotal(body) is var total && total >= expected || (total < 0 && body.AsSpan().IndexOf("\"entry\":"u8) >= 0));
}

/// <summary>The search mix's URLs, and a full check of their answers before the load starts.</summary>
internal static class SearchMixChecks
{
    public static readonly string[] FamilyNames = ["nguyen", "tran", "le", "pham", "huynh", "vo", "phan"];

    // Hypertension, type 2 diabetes, upper respiratory infection, gastritis.
    public static readonly string[] ConditionCodes = ["I10", "E11", "J06", "K29"];

    private static readonly byte[] TotalProperty = Encoding.UTF8.GetBytes("\"total\":");

    public static string ByIdentifier(SampledCitizen c) => $"Patient?identifier={Uri.EscapeDataString("https://yteso.vn/fhir/sid/cccd|" + c.Cccd)}";

    /// <summary>
    /// All of a citizen's weights over their first to last weighing day (widened by a day each side as a margin; a
    /// date without a zone in a search is a Vietnamese calendar day, like the stored +07:00 times).
    /// </summary>
    public static string Weights(SampledCitizen c) =>
        $"Observation?subject=Patient/{c.PatientId}&code={Uri.EscapeDataString("http://loinc.org|29463-7")}&date=ge{Shift(c.FirstWeightDate!, -1)}&date=le{Shift(c.LastWeightDate!, 1)}&_sort=-date&_count=50";

    public static string Encounters(SampledCitizen c) => $"Encounter?subject=Patient/{c.PatientId}&_count=50";

    public static string Immunizations(SampledCitizen c) => $"Immunization?patient=Patient/{c.PatientId}&_count=50";

    public static string NameUrl(string name) => $"Patient?name={name}&_count=20";

    public static string ConditionUrl(string icd10) => $"Condition?code={Uri.EscapeDataString("http://hl7.org/fhir/sid/icd-10|" + icd10)}&_count=20";

    private static string Shift(string date, int days) =>
        DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The Bundle's total, read without parsing the whole answer (the load generator shares the CPU).</summary>
    public static long ReadTotal(byte[] body)
    {
        var at = body.AsSpan().IndexOf(TotalProperty);
        if (at < 0)
        {
            return -1;
        }

        long total = 0;
        for (var i = at + TotalProperty.Length; i < body.Length && body[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            total = (total * 10) + (body[i] - '0');
        }

        return total;
    }

    /// <summary>Parses answers in full for a few citizens: right resources, right patient, right order, right totals.</summary>
    public static async Task VerifyAsync(Uri baseAddress, string token, BenchSample sample, LoadKind kind)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/fhir+json");
        if (kind == LoadKind.Read)
        {
            foreach (var path in sample.ReadPaths.Take(50))
            {
                using var read = await JsonAsync(client, path);
                Require(read.RootElement.GetProperty("resourceType").GetString() + "/" + read.RootElement.GetProperty("id").GetString() == path, $"{path} read back as something else");
                Require(read.RootElement.GetProperty("meta").GetProperty("versionId").GetString() == "1", $"{path} has no meta.versionId");
            }

            return;
        }

        foreach (var citizen in sample.Citizens.Take(20))
        {
            using var patient = await JsonAsync(client, ByIdentifier(citizen));
            Require(Entries(patient).Single().GetProperty("id").GetString() == citizen.PatientId, $"CCCD {citizen.Cccd} did not find Patient/{citizen.PatientId}");

            using var encounters = await JsonAsync(client, Encounters(citizen));
            RequireAll(encounters, citizen.Encounters, e => e.GetProperty("subject").GetProperty("reference").GetString() == $"Patient/{citizen.PatientId}", "Encounter?subject");

            if (citizen.WeightObservations > 0)
            {
                using var weights = await JsonAsync(client, Weights(citizen));
                RequireAll(weights, citizen.WeightObservations, o => o.GetProperty("code").GetRawText().Contains("29463-7", StringComparison.Ordinal), "Observation?code");
                var dates = Entries(weights).Select(o => o.GetProperty("effectiveDateTime").GetString()!).ToList();
                Require(dates.SequenceEqual(dates.OrderDescending(StringComparer.Ordinal)), "Observation _sort=-date is not newest first");
            }

            if (citizen.Immunizations > 0)
            {
                using var immunizations = await JsonAsync(client, Immunizations(citizen));
                RequireAll(immunizations, citizen.Immunizations, i => i.GetProperty("patient").GetProperty("reference").GetString() == $"Patient/{citizen.PatientId}", "Immunization?patient");
            }
        }

        foreach (var name in FamilyNames)
        {
            using var patients = await JsonAsync(client, NameUrl(name));
            RequireAll(patients, null, p => TextNormalizer.Fold(p.GetProperty("name").GetRawText()).Contains(name, StringComparison.Ordinal), "Patient?name=" + name);
        }

        foreach (var code in ConditionCodes)
        {
            using var conditions = await JsonAsync(client, ConditionUrl(code));
            RequireAll(conditions, null, c => c.GetProperty("code").GetRawText().Contains('"' + code + '"', StringComparison.Ordinal), "Condition?code=" + code);
        }

        Console.WriteLine("  answers checked in full: identifiers, names, encounters, weights (sorted), immunizations, conditions");
    }

    private static async Task<JsonDocument> JsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Require(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        return JsonDocument.Parse(body);
    }

    private static IEnumerable<JsonElement> Entries(JsonDocument bundle) =>
        bundle.RootElement.TryGetProperty("entry", out var entries) ? entries.EnumerateArray().Select(e => e.GetProperty("resource")) : [];

    private static void RequireAll(JsonDocument bundle, int? expected, Func<JsonElement, bool> matches, string what)
    {
        // Broad searches (expected is null) may leave the total out when it passes FhirSearchPage.DefaultTotalLimit.
        int? total = bundle.RootElement.TryGetProperty("total", out var t) ? t.GetInt32() : null;
        Require(expected is null ? total is null or > 0 : total == expected, $"{what}: total {total}, expected {expected?.ToString(CultureInfo.InvariantCulture) ?? "> 0"}");
        Require(Entries(bundle).Any() && Entries(bundle).All(matches), $"{what}: an entry does not match the criteria");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Wrong answer: " + message);
        }
    }
}
