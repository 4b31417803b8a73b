using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace YTeSo.Bench;

/// <summary>
/// <c>access --http true</c>: the operations of the in-process <c>access</c> run through the real web host, with real
/// bearer tokens (client credentials at <c>/connect/token</c>) and the audit trail on. One province-wide client and one
/// client per treating facility are configured through the <c>Security__Clients__N__*</c> variables (docs/security.md
/// §7); each request carries the token of the facility that treats its citizen, so both runs ask for the same records.
/// </summary>
internal static class AccessHttpBenchmark
{
    private const string Scopes = "system/*.rs";

    public static async Task<int> RunAsync(BenchArguments arguments, BenchSample sample, List<AccessBenchmark.Operation> reads, List<AccessBenchmark.Operation> searches)
    {
        var organizations = reads.Concat(searches).Select(o => o.Organization).Distinct().Order(StringComparer.Ordinal).ToList();
        var clients = new List<(string Id, string? Facility)> { ("bench-province", null) };
        clients.AddRange(organizations.Select(o => ($"bench-{o}", (string?)o)));
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var settings = ClientSettings(clients, secret);

        await using var server = await ServerProcess.StartAsync(arguments, settings);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, facility) in clients)
        {
            tokens[facility ?? ""] = await TokenAsync(server.BaseAddress, id, secret);
        }

        Console.WriteLine($"access over HTTP on {arguments.Db}, {sample.Resources:N0} resources, {arguments.Connections} connections, " +
            $"{arguments.WarmupSeconds} s warm-up + {arguments.Seconds} s per run, {organizations.Count} facility clients + 1 province-wide, audit on, {Environment.ProcessorCount} cores shared by client and server");
        foreach (var (name, operations) in new[] { ("read", reads), ("search", searches) })
        {
            var province = operations.Select(o => Request(o, tokens[""])).ToList();
            var facility = operations.Select(o => Request(o, tokens[o.Organization])).ToList();
            var (overheads, cpuOverheads) = (new List<double>(), new List<double>());
            for (var round = 1; round <= arguments.Rounds; round++)
            {
                var (rates, cpu) = (new Dictionary<bool, double>(), new Dictionary<bool, double>());
                foreach (var facilityScoped in round % 2 == 1 ? new[] { false, true } : [true, false])
                {
                    var mix = facilityScoped ? facility : province;
                    await LoadGenerator.RunAsync(server.BaseAddress, mix, arguments.Connections, TimeSpan.FromSeconds(arguments.WarmupSeconds));
                    var before = server.CpuTime();
                    var result = await LoadGenerator.RunAsync(server.BaseAddress, mix, arguments.Connections, TimeSpan.FromSeconds(arguments.Seconds));
                    var cpuPerRequest = (server.CpuTime() - before).TotalMilliseconds * 1000 / result.Requests;
                    (rates[facilityScoped], cpu[facilityScoped]) = (result.RequestsPerSecond, cpuPerRequest);
                    Console.WriteLine($"  {name,-6} round {round} {(facilityScoped ? "facility-scoped" : "province-wide"),-16} {result.RequestsPerSecond,9:N0}/s   p50 {result.P50,6:N2} ms   p99 {result.P99,6:N2} ms   " +
                        $"server CPU {cpuPerRequest,7:N0} µs/request   errors {result.Errors}   load {AccessBenchmark.LoadAverage()}");
                    if (result.Errors > 0)
                    {
                        Console.Error.WriteLine($"{result.Errors} wrong answers ({string.Join(", ", result.Kinds.Where(k => k.Errors > 0).Select(k => k.Kind))}).");
                        return 1;
                    }
                }

                overheads.Add((1 - (rates[true] / rates[false])) * 100);
                cpuOverheads.Add((1 - (cpu[false] / cpu[true])) * 100);
                Console.WriteLine($"  {name,-6} round {round} overhead: {overheads[^1]:N1}% by throughput, {cpuOverheads[^1]:N1}% by server CPU per request");
            }

            Console.WriteLine($"  {name,-6} overhead, median of {overheads.Count} rounds: {AccessBenchmark.Median(overheads):N1}% by throughput (each: {AccessBenchmark.Join(overheads)}), " +
                $"{AccessBenchmark.Median(cpuOverheads):N1}% by server CPU per request (each: {AccessBenchmark.Join(cpuOverheads)})");
        }

        return 0;
    }

    /// <summary>
    /// Correct means 200: the in-process run already checked that the treating facility gets the same totals as the
    /// province, and a facility's broad searches legitimately find fewer rows.
    /// </summary>
    private static LoadRequest Request(AccessBenchmark.Operation operation, string token) =>
        new(operation.Kind, operation.Url, (status, body) => status == HttpStatusCode.OK && body.Length > 0, token);

    /// <summary>
    /// Server settings that register system clients with one shared secret (read and search scopes, a facility for the
    /// facility-scoped ones), plain HTTP on loopback, and no throttling of the load generator.
    /// </summary>
    public static Dictionary<string, string> ClientSettings(IEnumerable<(string Id, string? Facility)> clients, string secret)
    {
        var settings = new Dictionary<string, string>
        {
            // Loopback only, as the tests do; production requires HTTPS (docs/security.md).
            ["Security__RequireHttps"] = "false",
            // The default (30,000 a minute per client) would throttle the province-wide client of a load run.
            ["Security__RequestsPerMinute"] = "100000000",
        };
        foreach (var ((id, facility), n) in clients.Select((c, n) => (c, n)))
        {
            settings[$"Security__Clients__{n}__ClientId"] = id;
            settings[$"Security__Clients__{n}__Secret"] = secret;
            settings[$"Security__Clients__{n}__Scopes"] = Scopes;
            if (facility is not null)
            {
                settings[$"Security__Clients__{n}__FacilityId"] = facility;
            }
        }

        return settings;
    }

    public static async Task<string> TokenAsync(Uri fhirBase, string clientId, string secret)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fhirBase, "/") };
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = Scopes,
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token for {clientId}: {(int)response.StatusCode} {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()
            ?? throw new InvalidOperationException($"Token for {clientId}: no access_token in {body.Length.ToString(CultureInfo.InvariantCulture)} bytes.");
    }
}
