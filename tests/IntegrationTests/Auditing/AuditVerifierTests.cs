using Microsoft.Extensions.DependencyInjection;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Auditing;

/// <summary>Tampering straight through SQL (append-only triggers removed, as a table owner can) is found by the verifier.</summary>
public sealed class AuditVerifierTests
{
    [Fact]
    public async Task An_untouched_chain_is_reported_intact_with_its_head()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();
        await services.RecordManyAsync(12);

        var result = await services.VerifyAsync();

        Assert.True(result.Intact, result.Message);
        Assert.Equal(12, result.Records);
        Assert.Equal(await services.GetRequiredService<AuditVerifier>().ReadHeadAsync(TestContext.Current.CancellationToken), result.Head);
        Assert.Contains("12 records, chain intact", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_trail_is_intact()
    {
        await using var database = new AuditTestDatabase();
        await using var services = database.Open();

        var result = await services.VerifyAsync();

        Assert.True(result.Intact, result.Message);
        Assert.Equal(new AuditHead(0, new string('0', 64)), result.Head);
    }

    [Fact]
    public async Task Tampering_with_one_rows_detail_is_reported_at_that_row()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);

        await database.TamperAsync("UPDATE audit_trail SET detail = 'nothing to see' WHERE seq = 5");

        AssertBroken(await services.VerifyAsync(), 5, AuditBreak.HashMismatch);
    }

    [Fact]
    public async Task Tampering_with_one_rows_patient_ids_is_reported_at_that_row()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);

        await database.TamperAsync("""UPDATE audit_trail SET patient_ids = '["someone-else"]' WHERE seq = 7""");

        AssertBroken(await services.VerifyAsync(), 7, AuditBreak.HashMismatch);
    }

    [Fact]
    public async Task Tampering_with_one_rows_time_is_reported_at_that_row()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);

        await database.TamperAsync("UPDATE audit_trail SET recorded_at = recorded_at - 36000000000 WHERE seq = 3");

        AssertBroken(await services.VerifyAsync(), 3, AuditBreak.HashMismatch);
    }

    [Fact]
    public async Task Deleting_a_row_is_reported_as_a_gap_at_its_seq()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);

        await database.TamperAsync("DELETE FROM audit_patient WHERE seq = 6; DELETE FROM audit_trail WHERE seq = 6");

        AssertBroken(await services.VerifyAsync(), 6, AuditBreak.SequenceGap);
    }

    [Fact]
    public async Task Deleting_the_first_row_is_reported_as_a_gap_at_seq_1()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);

        await database.TamperAsync("DELETE FROM audit_patient WHERE seq = 1; DELETE FROM audit_trail WHERE seq = 1");

        AssertBroken(await services.VerifyAsync(), 1, AuditBreak.SequenceGap);
    }

    [Fact]
    public async Task Swapping_two_rows_is_reported_at_the_first_of_them()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);

        await database.TamperAsync("""
            UPDATE audit_trail SET seq = -seq WHERE seq IN (4, 5);
            UPDATE audit_trail SET seq = 5 WHERE seq = -4;
            UPDATE audit_trail SET seq = 4 WHERE seq = -5;
            UPDATE audit_patient SET seq = -seq WHERE seq IN (4, 5);
            UPDATE audit_patient SET seq = 5 WHERE seq = -4;
            UPDATE audit_patient SET seq = 4 WHERE seq = -5;
            """);

        AssertBroken(await services.VerifyAsync(), 4, AuditBreak.PreviousHashMismatch);
    }

    [Fact]
    public async Task Rewriting_a_row_with_a_recomputed_hash_is_reported_at_the_next_row()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);
        var rows = (await services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter(), 6, 1, TestContext.Current.CancellationToken)).Records;
        var row = rows[0];
        var forged = row.Record with { Detail = "forged" };
        var hash = Convert.ToHexStringLower(AuditChain.Hash(Convert.FromHexString(row.PreviousHash), row.Seq, row.RecordedAt.UtcTicks, forged));

        await database.TamperAsync($"UPDATE audit_trail SET detail = 'forged', hash = {Bytes(hash)} WHERE seq = 5");

        AssertBroken(await services.VerifyAsync(), 6, AuditBreak.PreviousHashMismatch);
    }

    [Fact]
    public async Task Removing_a_row_from_the_patient_index_is_reported_at_that_row()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);

        await database.TamperAsync("DELETE FROM audit_patient WHERE seq = 8");

        AssertBroken(await services.VerifyAsync(), 8, AuditBreak.PatientIndexMismatch);
    }

    [Fact]
    public async Task Adding_a_patient_to_the_index_is_reported_at_that_row()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);

        await database.TamperAsync("INSERT INTO audit_patient (patient_id, seq) VALUES ('framed', 2)");

        AssertBroken(await services.VerifyAsync(), 2, AuditBreak.PatientIndexMismatch);
    }

    [Fact]
    public async Task A_whole_rewritten_chain_verifies_alone_but_not_against_an_anchor_taken_before()
    {
        await using var database = new AuditTestDatabase();
        AuditHead anchor;
        await using (var original = await TenRecordsAsync(database))
        {
            anchor = await original.GetRequiredService<AuditVerifier>().ReadHeadAsync(TestContext.Current.CancellationToken);
        }

        await database.TamperAsync("DELETE FROM audit_patient; DELETE FROM audit_trail");
        await using var services = database.Open();
        await services.RecordManyAsync(10, i => AuditSamples.Read(AuditSamples.Nurse, "innocent" + i));

        Assert.True((await services.VerifyAsync()).Intact);
        AssertBroken(await services.VerifyAsync(anchor), 10, AuditBreak.AnchorMismatch);
    }

    [Fact]
    public async Task Cutting_off_the_end_of_the_chain_is_reported_against_an_anchor()
    {
        await using var database = new AuditTestDatabase();
        await using var services = await TenRecordsAsync(database);
        var anchor = await services.GetRequiredService<AuditVerifier>().ReadHeadAsync(TestContext.Current.CancellationToken);

        await database.TamperAsync("DELETE FROM audit_patient WHERE seq > 8; DELETE FROM audit_trail WHERE seq > 8");

        Assert.True((await services.VerifyAsync()).Intact);
        AssertBroken(await services.VerifyAsync(anchor), 10, AuditBreak.AnchorMissing);
    }

    private static async Task<ServiceProvider> TenRecordsAsync(AuditTestDatabase database)
    {
        var services = database.Open();
        var trail = services.GetRequiredService<IAuditTrail>();

        // One at a time, so rows 1..10 are patients p1..p10 in order.
        for (var i = 1; i <= 10; i++)
        {
            await trail.RecordAsync(AuditSamples.Read(AuditSamples.Doctor, "p" + i), TestContext.Current.CancellationToken);
        }

        return services;
    }

    private static string Bytes(string hex) => TestDatabase.IsPostgres ? $"'\\x{hex}'::bytea" : $"X'{hex}'";

    private static void AssertBroken(AuditVerification result, long seq, AuditBreak kind)
    {
        Assert.False(result.Intact, result.Message);
        Assert.Equal(kind, result.Break);
        Assert.Equal(seq, result.BrokenSeq);
        Assert.Contains($"seq {seq}", result.Message, StringComparison.Ordinal);
    }
}
