using Microsoft.Extensions.DependencyInjection;

using Spectre.Console;

using YTeSo.Platform.Auditing;

namespace YTeSo.Cli;

/// <summary><c>yteso audit verify [--expect-head SEQ:HASH]</c>: walks the audit trail's hash chain.</summary>
internal static class AuditVerifyCommand
{
    /// <summary>Exit code when the chain is broken (1 and 2 are the import's "rejected" and "dangling").</summary>
    public const int Broken = 3;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (database, rest) = DatabaseArguments.Parse(args);
        AuditHead? expected = null;
        if (rest is ["--expect-head", var anchor])
        {
            if (!AuditHead.TryParse(anchor, out var head))
            {
                console.MarkupLineInterpolated($"[red]--expect-head wants SEQ:HASH (as 'yteso audit head' prints it), got '{anchor}'.[/]");
                return Usage.BadUsage;
            }

            expected = head;
        }
        else if (rest.Count > 0)
        {
            return Usage.Show(console);
        }

        await using var services = await database.OpenAuditTrailAsync(cancellationToken);
        console.MarkupLineInterpolated($"Verifying the audit trail in {DatabaseArguments.Describe(services)}");
        var result = await console.Status().StartAsync("walking the chain...", _ =>
            services.GetRequiredService<AuditVerifier>().VerifyAsync(expected, cancellationToken));
        if (result.Intact)
        {
            console.MarkupLineInterpolated($"[green]{result.Message}[/]");
            return 0;
        }

        console.MarkupLineInterpolated($"[red]{result.Message}[/]");
        return Broken;
    }
}
