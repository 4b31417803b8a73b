using System.Globalization;
using System.Text;

using Microsoft.Extensions.DependencyInjection;

using Spectre.Console;

using YTeSo.Fhir.Auditing;
using YTeSo.Fhir.Serialization;
using YTeSo.Platform.Auditing;

namespace YTeSo.Cli;

/// <summary><c>yteso audit export [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--out file]</c>: FHIR R4 AuditEvents as NDJSON, oldest first.</summary>
internal static class AuditExportCommand
{
    // Days are the province's days: Vietnam has no daylight saving, so UTC+7 all year.
    private static readonly TimeSpan VietnamTime = TimeSpan.FromHours(7);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (database, rest) = DatabaseArguments.Parse(args);
        DateTimeOffset? from = null, to = null;
        string? output = null;
        for (var i = 0; i < rest.Count; i++)
        {
            switch (rest[i])
            {
                case "--from" when i + 1 < rest.Count && TryParseDay(rest[++i], out var day):
                    from = day;
                    break;
                case "--to" when i + 1 < rest.Count && TryParseDay(rest[++i], out var day):
                    to = day.AddDays(1);
                    break;
                case "--out" when i + 1 < rest.Count:
                    output = rest[++i];
                    break;
                default:
                    return Usage.Show(console);
            }
        }

        await using var services = await database.OpenAuditTrailAsync(cancellationToken);
        var store = services.GetRequiredService<AuditStore>();
        var serializers = new FhirSerializers();
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        }

        await using var file = output is null ? null : new StreamWriter(output, false, new UTF8Encoding(false));
        var writer = file ?? console.Profile.Out.Writer;
        var count = 0L;
        await foreach (var record in store.ReadForwardAsync(0, from, to, cancellationToken))
        {
            await writer.WriteLineAsync(serializers.ToJson(AuditEventMapper.ToAuditEvent(record)).AsMemory(), cancellationToken);
            count++;
        }

        if (output is not null)
        {
            console.MarkupLineInterpolated($"[bold]{count:N0}[/] AuditEvent resources written to {Path.GetFullPath(output)}");
        }

        return 0;
    }

    private static bool TryParseDay(string text, out DateTimeOffset day)
    {
        var parsed = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
        day = parsed ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), VietnamTime) : default;
        return parsed;
    }
}
