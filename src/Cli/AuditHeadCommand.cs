using Microsoft.Extensions.DependencyInjection;

using Spectre.Console;

using YTeSo.Platform.Auditing;

namespace YTeSo.Cli;

/// <summary>
/// <c>yteso audit head</c>: prints <c>SEQ:HASH</c> of the last record and nothing else, so a scheduled job can
/// record it somewhere the database's administrators cannot rewrite (anchoring; ADR 0007).
/// </summary>
internal static class AuditHeadCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (database, rest) = DatabaseArguments.Parse(args);
        if (rest.Count > 0)
        {
            return Usage.Show(console);
        }

        await using var services = await database.OpenAuditTrailAsync(cancellationToken);
        var head = await services.GetRequiredService<AuditVerifier>().ReadHeadAsync(cancellationToken);
        console.Profile.Out.Writer.WriteLine(head.ToString());
        return 0;
    }
}
