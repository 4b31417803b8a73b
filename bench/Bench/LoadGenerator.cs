using System.Diagnostics;
using System.Net;

namespace YTeSo.Bench;

/// <summary>One request of a load run and how to tell that its answer is right, not just fast.</summary>
/// <remarks><paramref name="Token"/>: the bearer token to send, when the server checks who is calling.</remarks>
internal sealed record LoadRequest(string Kind, string Url, Func<HttpStatusCode, byte[], bool> IsCorrect, string? Token = null);

internal sealed record KindResult(string Kind, long Requests, long Errors, double P50, double P99);

internal sealed record LoadResult(long Requests, long Errors, double Seconds, double P50, double P95, double P99, List<KindResult> Kinds)
{
    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>
/// A closed-loop HTTP load generator: K workers, each with its own keep-alive connection, send the next request of
/// the mix as soon as the previous answer is read, for a fixed duration. Latencies are kept exactly (no buckets),
/// and every answer is checked; a wrong answer counts as an error.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(Uri baseAddress, IReadOnlyList<LoadRequest> mix, int connections, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/fhir+json");
        var next = -1L;
        var clock = Stopwatch.StartNew();
        var deadline = duration.Ticks;
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var samples = new List<(int Request, long Ticks, bool Ok)>(capacity: 1 << 16);
            while (clock.Elapsed.Ticks < deadline)
            {
                var index = (int)(Interlocked.Increment(ref next) % mix.Count);
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, mix[index].Url);
                    if (mix[index].Token is { } token)
                    {
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                    }

                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    ok = mix[index].IsCorrect(response.StatusCode, body);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    ok = false;
                }

                samples.Add((index, Stopwatch.GetTimestamp() - started, ok));
            }

            return samples;
        })).ToList();
        var all = (await Task.WhenAll(workers)).SelectMany(s => s).ToList();
        var seconds = clock.Elapsed.TotalSeconds;
        var kinds = all.GroupBy(s => mix[s.Request].Kind)
            .Select(g => new KindResult(g.Key, g.LongCount(), g.LongCount(s => !s.Ok), Percentile(g, 0.50), Percentile(g, 0.99)))
            .OrderBy(k => k.Kind, StringComparer.Ordinal)
            .ToList();
        return new LoadResult(all.Count, all.LongCount(s => !s.Ok), seconds, Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), kinds);
    }

    private static double Percentile(IEnumerable<(int Request, long Ticks, bool Ok)> samples, double fraction)
    {
        var sorted = samples.Select(s => s.Ticks).Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
