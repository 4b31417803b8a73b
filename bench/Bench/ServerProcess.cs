using System.Diagnostics;
using System.Globalization;

namespace YTeSo.Bench;

/// <summary>
/// The real YTeSo web host as a separate process on loopback Kestrel, so its memory is its own and the load
/// generator's allocations do not count against it. Peak working set comes from the kernel (VmHWM).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ServerProcess> StartAsync(BenchArguments arguments, IReadOnlyDictionary<string, string>? settings = null)
    {
        var url = $"http://127.0.0.1:{arguments.Port}";
        var start = new ProcessStartInfo("dotnet", [arguments.ServerAssembly])
        {
            WorkingDirectory = Path.GetDirectoryName(arguments.ServerAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Demo__SeedOnFirstStart"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in arguments.ServerSettings().Concat(settings ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri(url + "/fhir/"));
        using var probe = new HttpClient { BaseAddress = server.BaseAddress };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode}.");
            }

            try
            {
                using var response = await probe.GetAsync("metadata");
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not answer /fhir/metadata within a minute.");
    }

    /// <summary>CPU time the server has used so far (user and system), to compare runs on a machine others share.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Peak resident set size of the server since it started (Linux VmHWM), in bytes.</summary>
    public long PeakWorkingSet() => ProcStatus("VmHWM:");

    public long WorkingSet() => ProcStatus("VmRSS:");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private long ProcStatus(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static void Echo(string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            Console.Error.WriteLine("  server: " + line);
        }
    }
}
