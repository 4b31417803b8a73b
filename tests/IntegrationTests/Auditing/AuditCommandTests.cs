using System.Text.Json;
using Spectre.Console;
using YTeSo.Cli;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Auditing;

/// <summary><c>yteso audit verify | head | export</c> against a real trail.</summary>
public sealed class AuditCommandTests
{
    [Fact]
    public async Task Verify_returns_0_on_an_intact_trail_and_3_naming_the_seq_after_tampering()
    {
        await using var database = new AuditTestDatabase();
        await using (var services = database.Open())
        {
            await services.RecordManyAsync(20);
        }

        var (intact, intactOutput) = await RunAsync(AuditVerifyCommand.RunAsync, database);
        await database.TamperAsync("UPDATE audit_trail SET actor_display = 'someone else' WHERE seq = 11");
        var (broken, brokenOutput) = await RunAsync(AuditVerifyCommand.RunAsync, database);

        Assert.True(intact == 0, intactOutput);
        Assert.Contains("20 records, chain intact", intactOutput, StringComparison.Ordinal);
        Assert.True(broken == 3, brokenOutput);
        Assert.Contains("seq 11", brokenOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_the_head_printed_earlier_fails_once_the_chain_is_cut_short()
    {
        await using var database = new AuditTestDatabase();
        await using (var services = database.Open())
        {
            await services.RecordManyAsync(5);
        }

        var (_, head) = await RunAsync(AuditHeadCommand.RunAsync, database);
        var anchor = head.Trim();
        var (before, _) = await RunAsync(AuditVerifyCommand.RunAsync, database, "--expect-head", anchor);
        await database.TamperAsync("DELETE FROM audit_patient WHERE seq = 5; DELETE FROM audit_trail WHERE seq = 5");
        var (after, output) = await RunAsync(AuditVerifyCommand.RunAsync, database, "--expect-head", anchor);

        Assert.Matches("^5:[0-9a-f]{64}$", anchor);
        Assert.Equal(0, before);
        Assert.Equal(3, after);
        Assert.Contains("seq 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_a_malformed_anchor_shows_how_to_write_it()
    {
        await using var database = new AuditTestDatabase();

        var (exitCode, output) = await RunAsync(AuditVerifyCommand.RunAsync, database, "--expect-head", "12:not-a-hash");

        Assert.Equal(64, exitCode);
        Assert.Contains("SEQ:HASH", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_writes_the_days_records_as_AuditEvent_ndjson()
    {
        await using var database = new AuditTestDatabase();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 16, 59, 0, TimeSpan.Zero)); // 23:59 on the 24th in Vietnam
        await using (var services = database.Open(clock))
        {
            await services.RecordManyAsync(1);
            clock.Now = clock.Now.AddMinutes(2); // 00:01 on the 25th
            await services.RecordManyAsync(3);
            clock.Now = clock.Now.AddDays(1);
            await services.RecordManyAsync(1);
        }

        var file = Path.Combine(database.DataDirectory, "audit-2026-11-25.ndjson");

        var (exitCode, output) = await RunAsync(AuditExportCommand.RunAsync, database, "--from", "2026-11-25", "--to", "2026-11-25", "--out", file);

        Assert.True(exitCode == 0, output);
        var lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("AuditEvent", json.RootElement.GetProperty("resourceType").GetString());
        });
        Assert.Equal(["2", "3", "4"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
    }

    private static Task<(int ExitCode, string Output)> RunAsync(
        Func<IReadOnlyList<string>, IAnsiConsole, CancellationToken, Task<int>> command, AuditTestDatabase database, params string[] args) =>
        YTeSoCli.RunAsync(command, [.. args, .. database.CliArguments]);
}
