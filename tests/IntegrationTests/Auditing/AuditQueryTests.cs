using Microsoft.Extensions.DependencyInjection;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Auditing;

/// <summary>What auditors ask the trail: who touched a patient, what an actor did, in a period, break-glass only.</summary>
public sealed class AuditQueryTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Searching_by_patient_returns_only_that_patients_records_newest_first()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        await RecordAsync(services, AuditSamples.Read(AuditSamples.Doctor, "p-lan"));
        await RecordAsync(services, AuditSamples.Read(AuditSamples.Nurse, "p-minh"));
        await RecordAsync(services, new AuditRecord(AuditActions.Search, AuditOutcomes.Success, AuditSamples.Nurse, "Observation", ["Observation/o1"], ["p-lan", "p-hoa", "p-lan"]));

        var page = await Query(services).SearchAsync(new AuditFilter { PatientId = "p-lan" }, null, 10, Token);

        Assert.Equal([3L, 1L], page.Records.Select(r => r.Seq));
        Assert.Null(page.NextBefore);
    }

    [Fact]
    public async Task Searching_by_actor_action_and_outcome_combines_the_criteria()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        await RecordAsync(services, AuditSamples.Read(AuditSamples.Doctor, "p1"));
        await RecordAsync(services, AuditSamples.Read(AuditSamples.Nurse, "p2"));
        await RecordAsync(services, AuditSamples.Read(AuditSamples.Nurse, "p3") with { Outcome = AuditOutcomes.Denied });
        await RecordAsync(services, new AuditRecord(AuditActions.Update, AuditOutcomes.Denied, AuditSamples.Nurse, "Patient", ["Patient/p4"], ["p4"]));

        var byActor = await Query(services).SearchAsync(new AuditFilter { ActorId = AuditSamples.Nurse.Id }, null, 10, Token);
        var denied = await Query(services).SearchAsync(new AuditFilter { ActorId = AuditSamples.Nurse.Id, Action = AuditActions.Read, Outcome = AuditOutcomes.Denied }, null, 10, Token);

        Assert.Equal([4L, 3L, 2L], byActor.Records.Select(r => r.Seq));
        Assert.Equal([3L], denied.Records.Select(r => r.Seq));
    }

    [Fact]
    public async Task Searching_a_time_range_includes_its_start_and_excludes_its_end()
    {
        await using var database = new AuditTestDatabase();
        var start = new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);
        await using var services = database.Open(clock);
        for (var hour = 0; hour < 5; hour++)
        {
            clock.Now = start.AddHours(hour);
            await RecordAsync(services, AuditSamples.Read(AuditSamples.Doctor, "p" + hour));
        }

        var page = await Query(services).SearchAsync(new AuditFilter { From = start.AddHours(1), To = start.AddHours(3) }, null, 10, Token);

        Assert.Equal([3L, 2L], page.Records.Select(r => r.Seq));
        Assert.All(page.Records, r => Assert.InRange(r.RecordedAt, start.AddHours(1), start.AddHours(2)));
    }

    [Fact]
    public async Task Searching_break_glass_only_finds_emergency_access_alone()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        await RecordAsync(services, AuditSamples.Read(AuditSamples.Doctor, "p1"));
        await RecordAsync(services, AuditSamples.Read(AuditSamples.Doctor with { PurposeOfUse = "ETREAT" }, "p2") with { BreakGlass = true, Detail = "Cấp cứu" });
        await RecordAsync(services, AuditSamples.Read(AuditSamples.Nurse, "p3"));

        var page = await Query(services).SearchAsync(new AuditFilter { BreakGlassOnly = true }, null, 10, Token);

        var record = Assert.Single(page.Records);
        Assert.Equal(2, record.Seq);
        Assert.True(record.Record.BreakGlass);
    }

    [Fact]
    public async Task Paging_by_seq_returns_every_match_once_newest_first()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        await services.RecordManyAsync(25, i => AuditSamples.Read(i % 2 == 0 ? AuditSamples.Doctor : AuditSamples.Nurse, "p-shared"));
        var seen = new List<long>();

        long? before = null;
        do
        {
            var page = await Query(services).SearchAsync(new AuditFilter { PatientId = "p-shared", ActorId = AuditSamples.Doctor.Id }, before, 4, Token);
            seen.AddRange(page.Records.Select(r => r.Seq));
            before = page.NextBefore;
        }
        while (before is not null);

        Assert.Equal(13, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    private static AuditQuery Query(ServiceProvider services) => services.GetRequiredService<AuditQuery>();

    private static ValueTask RecordAsync(ServiceProvider services, AuditRecord record) =>
        services.GetRequiredService<IAuditTrail>().RecordAsync(record, Token);
}
