using Microsoft.Extensions.DependencyInjection;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Auditing;

/// <summary>The group-commit writer on a real database (SQLite, or PostgreSQL when the environment selects it).</summary>
public sealed class AuditTrailTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_record_round_trips_with_every_field_and_the_first_link_of_the_chain()
    {
        await using var database = new AuditTestDatabase();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 26, 2, 30, 15, 123, TimeSpan.Zero).AddTicks(4567));
        await using var services = database.Open(clock);
        var actor = new AuditActor("client/his-bv-tinh", "HIS Bệnh viện tỉnh", "doctor", "bv-da-khoa-tinh", "his-bv-tinh", "2001:db8::7", "ETREAT");
        var record = new AuditRecord(
            AuditActions.Search,
            AuditOutcomes.Success,
            actor,
            "Observation",
            ["Observation/o1", "Observation/o2"],
            ["p-1", "p-2"],
            "subject=Patient/p-1&code=http://loinc.org|29463-7",
            BreakGlass: true,
            Detail: "Cấp cứu: bệnh nhân bất tỉnh");

        await services.GetRequiredService<IAuditTrail>().RecordAsync(record, Token);

        var page = await services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter(), null, 10, Token);
        var stored = Assert.Single(page.Records);
        Assert.Equal(1, stored.Seq);
        Assert.Equal(clock.Now, stored.RecordedAt);
        Assert.Equal(record.Actor, stored.Record.Actor);
        Assert.Equal(record with { ResourceIds = null, PatientIds = null }, stored.Record with { ResourceIds = null, PatientIds = null });
        Assert.Equal(record.ResourceIds, stored.Record.ResourceIds);
        Assert.Equal(record.PatientIds, stored.Record.PatientIds);
        Assert.Equal(new string('0', 64), stored.PreviousHash);
        Assert.Matches("^[0-9a-f]{64}$", stored.Hash);
        Assert.Null(page.NextBefore);
        Assert.True((await services.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Ten_thousand_records_from_fifty_parallel_writers_form_one_contiguous_verified_chain()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        var trail = services.GetRequiredService<IAuditTrail>();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await trail.RecordAsync(AuditSamples.Read(AuditSamples.Doctor, $"w{writer}-{i}"), Token);
            }
        })));

        var result = await services.VerifyAsync();
        Assert.True(result.Intact, result.Message);
        Assert.Equal(10_000, result.Records);
        Assert.Equal(10_000, result.Head.Seq);
        var patients = await services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter { PatientId = "w49-199" }, null, 10, Token);
        Assert.Single(patients.Records);
    }

    [Fact]
    public async Task A_restarted_trail_continues_the_chain_from_the_last_stored_record()
    {
        await using var database = new AuditTestDatabase();
        AuditHead before;
        await using (var first = database.Open())
        {
            await first.RecordManyAsync(30);
            before = (await first.VerifyAsync()).Head;
        }

        await using var second = database.Open();
        await second.RecordManyAsync(20);

        var result = await second.VerifyAsync(before);
        Assert.True(result.Intact, result.Message);
        Assert.Equal(50, result.Head.Seq);
        var page = await second.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter(), 32, 1, Token);
        Assert.Equal(before.Hash, page.Records[0].PreviousHash);
    }

    [Fact]
    public async Task Shutting_down_commits_every_queued_record_and_refuses_later_ones()
    {
        await using var database = new AuditTestDatabase();
        var services = database.Open();
        var trail = services.GetRequiredService<IAuditTrail>();
        var queued = Enumerable.Range(0, 300).Select(i => trail.RecordAsync(AuditSamples.Read(AuditSamples.Nurse, "p" + i), Token).AsTask()).ToList();

        await services.DisposeAsync();

        await Task.WhenAll(queued);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => trail.RecordAsync(AuditSamples.Read(AuditSamples.Nurse, "late"), Token).AsTask());
        await using var reopened = database.Open();
        Assert.Equal(300, (await reopened.VerifyAsync()).Records);
    }

    [Fact]
    public async Task A_failed_commit_fails_every_waiter_of_its_batch_instead_of_dropping_the_records()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        await services.RecordManyAsync(1);
        await database.TamperAsync("DROP TABLE audit_patient");

        await Assert.ThrowsAnyAsync<Exception>(() => services.RecordManyAsync(5));

        Assert.Equal(1, (await services.GetRequiredService<AuditVerifier>().ReadHeadAsync(Token)).Seq);
    }

    [Fact]
    public async Task A_clock_that_steps_back_never_dates_a_record_before_the_one_it_follows()
    {
        await using var database = new AuditTestDatabase();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        await using var services = database.Open(clock);
        await services.RecordManyAsync(1);

        clock.Now = clock.Now.AddMinutes(-5);
        await services.RecordManyAsync(1);

        var page = await services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter(), null, 2, Token);
        Assert.Equal(page.Records[1].RecordedAt, page.Records[0].RecordedAt);
        Assert.True((await services.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Text_the_database_cannot_hold_is_stored_with_replacement_characters_and_still_verifies()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        var record = AuditSamples.Read(AuditSamples.Doctor, "p1") with { Query = "name=a\0b", Detail = "lone \uD800 surrogate, pair 😀" };

        await services.GetRequiredService<IAuditTrail>().RecordAsync(record, Token);

        var stored = (await services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter(), null, 1, Token)).Records[0];
        Assert.Equal("name=a\uFFFDb", stored.Record.Query);
        Assert.Equal("lone \uFFFD surrogate, pair 😀", stored.Record.Detail);
        Assert.True((await services.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task The_append_only_triggers_refuse_update_and_delete()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        await services.RecordManyAsync(3);

        var update = await Assert.ThrowsAnyAsync<Exception>(() => database.ExecuteAsync("UPDATE audit_trail SET detail = 'sửa' WHERE seq = 2"));
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => database.ExecuteAsync("DELETE FROM audit_patient WHERE seq = 2"));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        if (TestDatabase.IsPostgres)
        {
            var truncate = await Assert.ThrowsAnyAsync<Exception>(() => database.ExecuteAsync("TRUNCATE audit_trail"));
            Assert.Contains("append-only", truncate.Message, StringComparison.Ordinal);
        }

        Assert.True((await services.VerifyAsync()).Intact);
    }
}
