using System.Net;
using System.Net.Http.Json;
using Hl7.Fhir.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using YTeSo.Access.Contracts;
using YTeSo.Cli;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// Issue 3's audit completeness: a scripted set of operations through HTTP, with real tokens and a real staff session,
/// leaves exactly the expected records in the trail (no more, no fewer, in order), the chain verifies, and one row
/// changed behind the platform's back is named by <c>yteso audit verify</c>.
/// </summary>
public sealed class AuditCompletenessTests(AccessApp app) : IClassFixture<AccessApp>
{
    private const string Password = "Mat-khau-2026";
    private const string MasterPatientIndex = "Master patient index";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What a test expects of one record; null fields are not compared.</summary>
    private sealed record Expected(string Actor, string Action, string Outcome, string? Type = null, string[]? Resources = null, string[]? Patients = null, bool BreakGlass = false);

    [Fact]
    public async Task A_scripted_session_leaves_exactly_the_expected_records_and_a_tampered_row_is_named()
    {
        await app.EnsureFacilityAsync(AccessApp.FacilityA);
        await app.EnsureFacilityAsync(AccessApp.FacilityB);
        var doctorId = await app.CreateStaffAsync("bs-kiem-toan", Password, (AccessApp.FacilityB, StaffRoles.Doctor));
        var verifier = app.Services.GetRequiredService<AuditVerifier>();
        var start = (await verifier.ReadHeadAsync(Ct)).Seq;
        var his = $"client/{AccessApp.HisA}";
        var hisB = $"client/{AccessApp.HisB}";
        var doctor = $"staff/{doctorId}";

        // A hospital system of facility A: token, create, read, update, search, vread, history, a miss, delete.
        using var a = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisA));
        var patient = (await a.CreateAsync(new Patient
        {
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/ma-bn/bv-a", "BN-AUDIT-1")],
            Name = [new HumanName { Family = "Hồ", Given = ["Thị Kiểm"] }],
            ManagingOrganization = new ResourceReference($"Organization/{AccessApp.FacilityA}"),
        })).Id!;
        var observation = (await a.CreateAsync(new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4"),
            Subject = new ResourceReference($"Patient/{patient}"),
        })).Id!;
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"Patient/{patient}", Ct)).StatusCode);
        using (var update = await a.PutAsync($"Patient/{patient}", FhirHttp.Json(new Patient
        {
            Id = patient,
            Name = [new HumanName { Family = "Hồ", Given = ["Thị Kiểm Tra"] }],
            ManagingOrganization = new ResourceReference($"Organization/{AccessApp.FacilityA}"),
        }), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        Assert.Equal([observation], (await a.SearchAsync($"Observation?subject=Patient/{patient}")).MatchIds());
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"Patient/{patient}/_history/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"Patient/{patient}/_history", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync("Patient/khong-ton-tai", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"Observation/{observation}", Ct)).StatusCode);

        // Facility B's system may only read: its write is refused, and a read of A's patient is hidden (404).
        using var b = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisB, "system/Patient.rs system/Observation.rs"));
        using (var refused = await b.PostAsync("Observation", FhirHttp.Json(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8867-4") }), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"Patient/{patient}", Ct)).StatusCode);

        // A doctor of facility B: a wrong password, a sign-in, break-glass on A's patient, a read under it, sign-out.
        using var browser = app.CreateBrowserClient();
        using (var wrong = await AccessApp.PostSignInAsync(browser, "bs-kiem-toan", "Sai-mat-khau-1"))
        {
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using (var signedIn = await AccessApp.PostSignInAsync(browser, "bs-kiem-toan", Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var token = (await app.StaffTokenAsync("bs-kiem-toan", Password, "user/*.rs")).GetProperty("access_token").GetString()!;
        using var api = app.FhirClientWith(token);
        api.BaseAddress = app.ClientOptions.BaseAddress;
        using (var opened = await api.PostAsJsonAsync("api/access/break-glass", new { patientId = patient, reason = "Bệnh nhân bất tỉnh nhập cấp cứu, cần tiền sử" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"fhir/Patient/{patient}", Ct)).StatusCode);

        // The master patient index reads and links every Patient written, under its own system actor: those records are
        // there (an MPI read of the patient), and apart from them the trail is exactly the script's.
        var all = await RecordsSinceAsync(start);
        Assert.Contains(all, r => r.Record.Actor.Display == MasterPatientIndex && r.Record.Action == AuditActions.Read && (r.Record.ResourceIds ?? []).Contains($"Patient/{patient}"));
        var records = all.Where(r => r.Record.Actor.Display != MasterPatientIndex).ToList();
        Expected[] expected =
        [
            new(his, AuditActions.TokenIssued, AuditOutcomes.Success),
            new(his, AuditActions.Create, AuditOutcomes.Success, "Patient", [$"Patient/{patient}"], [patient]),
            new(his, AuditActions.Create, AuditOutcomes.Success, "Observation", [$"Observation/{observation}"], [patient]),
            new(his, AuditActions.Read, AuditOutcomes.Success, "Patient", [$"Patient/{patient}"], [patient]),
            new(his, AuditActions.Update, AuditOutcomes.Success, "Patient", [$"Patient/{patient}"], [patient]),
            new(his, AuditActions.Search, AuditOutcomes.Success, "Observation", [$"Observation/{observation}"], [patient]),
            new(his, AuditActions.VersionRead, AuditOutcomes.Success, "Patient", [$"Patient/{patient}"], [patient]),
            new(his, AuditActions.History, AuditOutcomes.Success, "Patient", Patients: [patient]),
            new(his, AuditActions.Read, AuditOutcomes.Failed, "Patient", ["Patient/khong-ton-tai"], []),
            new(his, AuditActions.Delete, AuditOutcomes.Success, "Observation", [$"Observation/{observation}"], [patient]),
            new(hisB, AuditActions.TokenIssued, AuditOutcomes.Success),
            new(hisB, AuditActions.Create, AuditOutcomes.Denied, "Observation"),
            new(hisB, AuditActions.Read, AuditOutcomes.Failed, "Patient", [$"Patient/{patient}"], []),
            new(doctor, AuditActions.SignIn, AuditOutcomes.Denied),
            new(doctor, AuditActions.SignIn, AuditOutcomes.Success),
            new(doctor, AuditActions.SignIn, AuditOutcomes.Success),
            new(doctor, AuditActions.TokenIssued, AuditOutcomes.Success),
            new("system", AuditActions.Read, AuditOutcomes.Success, "Patient", [$"Patient/{patient}"], [patient]),
            new(doctor, AuditActions.BreakGlass, AuditOutcomes.Success, "Patient", [$"Patient/{patient}"], [patient], BreakGlass: true),
            new(doctor, AuditActions.Read, AuditOutcomes.Success, "Patient", [$"Patient/{patient}"], [patient], BreakGlass: true),
        ];

        Assert.True(expected.Length == records.Count, $"expected {expected.Length} records, found {records.Count}:\n{Describe(records)}");
        for (var i = 0; i < expected.Length; i++)
        {
            AssertMatches(expected[i], records[i], i, records);
        }

        Assert.All(records.Where(r => r.Record.Actor.Id != "system"), r => Assert.Equal("127.0.0.1", r.Record.Actor.SourceIp));
        Assert.Equal(StaffRoles.Doctor, records[^1].Record.Actor.Role);
        Assert.Equal(AccessApp.FacilityB, records[^1].Record.Actor.FacilityId);
        Assert.Equal("ETREAT", records[^2].Record.Actor.PurposeOfUse);
        Assert.Contains("bất tỉnh", records[^2].Record.Detail, StringComparison.Ordinal);
        Assert.Equal($"break-glass check for {doctor}", records[^3].Record.Actor.Display);

        // The chain verifies, then one changed row is named by the command an auditor runs.
        var (intact, intactOutput) = await YTeSoCli.RunAsync(AuditVerifyCommand.RunAsync, app.CliDatabaseArguments);
        Assert.True(intact == 0, intactOutput);
        var target = records.Single(r => r.Record.Action == AuditActions.BreakGlass).Seq;
        await TamperAsync($"UPDATE audit_trail SET detail = 'không có gì' WHERE seq = {target}");
        var (broken, brokenOutput) = await YTeSoCli.RunAsync(AuditVerifyCommand.RunAsync, app.CliDatabaseArguments);
        Assert.Equal(3, broken);
        Assert.Contains($"seq {target}", brokenOutput, StringComparison.Ordinal);
    }

    private async Task<List<StoredAuditRecord>> RecordsSinceAsync(long seq)
    {
        var page = await app.Services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter(), null, AuditQuery.MaxCount, Ct);
        return [.. page.Records.Where(r => r.Seq > seq).OrderBy(r => r.Seq)];
    }

    private static void AssertMatches(Expected expected, StoredAuditRecord stored, int index, List<StoredAuditRecord> all)
    {
        var record = stored.Record;
        var where = $"record {index + 1} (seq {stored.Seq}):\n{Describe(all)}";
        Assert.True(expected.Actor == record.Actor.Id, where);
        Assert.True(expected.Action == record.Action, where);
        Assert.True(expected.Outcome == record.Outcome, where);
        Assert.True(expected.BreakGlass == record.BreakGlass, where);
        if (expected.Type is not null)
        {
            Assert.True(expected.Type == record.ResourceType, where);
        }

        if (expected.Resources is not null)
        {
            Assert.True(expected.Resources.SequenceEqual(record.ResourceIds ?? []), where);
        }

        if (expected.Patients is not null)
        {
            Assert.True(expected.Patients.SequenceEqual(record.PatientIds ?? []), where);
        }
    }

    private static string Describe(List<StoredAuditRecord> records) => string.Join('\n', records.Select(r =>
        $"  {r.Seq}: {r.Record.Actor.Id} {r.Record.Action} {r.Record.Outcome} {r.Record.ResourceType} [{string.Join(',', r.Record.ResourceIds ?? [])}] patients [{string.Join(',', r.Record.PatientIds ?? [])}] bg={r.Record.BreakGlass} {r.Record.Detail}"));

    /// <summary>Changes the trail as someone who owns its tables can: the append-only triggers removed first.</summary>
    private async System.Threading.Tasks.Task TamperAsync(string sql)
    {
        System.Data.Common.DbConnection connection = TestDatabase.IsPostgres
            ? new NpgsqlConnection(app.CliDatabaseArguments[1])
            : new SqliteConnection($"Data Source={Path.Combine(app.CliDatabaseArguments[1], "audit.db")};Pooling=False");
        await using (connection)
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = TestDatabase.IsPostgres
                ? "ALTER TABLE audit_trail DISABLE TRIGGER USER; " + sql
                : "DROP TRIGGER IF EXISTS audit_trail_no_update; " + sql;
            await command.ExecuteNonQueryAsync(Ct);
        }
    }
}
