using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Cli;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Patients.LinkPatients;
using YTeSo.Patients.Persistence;

namespace YTeSo.IntegrationTests.Patients;

/// <summary>
/// <c>yteso mpi dedupe</c> and <c>yteso mpi report</c> against the host's own database, on SQLite and PostgreSQL. The
/// Patients are loaded with <c>yteso import fhir</c>, a bulk path the real-time linker never sees (the command line has
/// no MPI subscribed to the change outbox), and checked through the FHIR API and the MPI's tables.
/// </summary>
public sealed class MpiDedupeCommandTests(YTeSoApp app) : IClassFixture<YTeSoApp>, IDisposable
{
    private const string Golden = "https://yteso.vn/fhir/CodeSystem/mpi|golden";

    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    private readonly string _folder = Directory.CreateTempSubdirectory("yteso-mpi-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Patients_loaded_in_bulk_are_linked_by_mpi_dedupe_and_a_second_run_changes_nothing()
    {
        var (hospital, station) = (NewFacility(), NewFacility());
        var cccd = NewCccd(female: false, 1982);
        var atHospital = Source(hospital, "Nguyễn", ["Văn", "Thắng"], "1982-04-11", AdministrativeGender.Male, cccd);
        var atStation = Source(station, "Nguyen", ["Van", "Thang"], "1982-04-11", AdministrativeGender.Male, cccd);
        var other = Source(station, "Lò", ["Thị", "Sương"], "1958-12-30", AdministrativeGender.Female, NewCccd(female: true, 1958));
        await ImportAsync(atHospital, atStation, other);
        using var fhir = app.CreateFhirClient();
        Assert.Empty(await GoldenIdsOfAsync(fhir, atHospital.Id));

        var (exitCode, output) = await DedupeAsync();

        Assert.Equal(0, exitCode);
        var golden = Assert.Single(await GoldenIdsOfAsync(fhir, atHospital.Id));
        Assert.Equal([golden], await GoldenIdsOfAsync(fhir, atStation.Id));
        Assert.NotEqual(golden, Assert.Single(await GoldenIdsOfAsync(fhir, other.Id)));
        var person = (Person)(await fhir.SearchAsync($"Person?_id={golden}")).Entry.Single().Resource;
        Assert.Equal(
            new[] { $"Patient/{atHospital.Id}", $"Patient/{atStation.Id}" }.Order(StringComparer.Ordinal),
            person.Link.Select(l => l.Target.Reference).Order(StringComparer.Ordinal));
        Assert.Contains("Golden records written", output, StringComparison.Ordinal);
        var rows = await SourcesAsync(atHospital.Id, atStation.Id, other.Id);
        Assert.All(rows, r => Assert.Equal(1, r.Version));
        Assert.Equal(hospital, rows.Single(r => r.PatientId == atHospital.Id).FacilityCode);

        var (secondExit, secondOutput) = await DedupeAsync();

        Assert.Equal(0, secondExit);
        Assert.Contains("Nothing to change", secondOutput, StringComparison.Ordinal);
        Assert.Equal(
            rows.Select(r => (r.PatientId, r.GoldenId, r.Origin, r.Weight)),
            (await SourcesAsync(atHospital.Id, atStation.Id, other.Id)).Select(r => (r.PatientId, r.GoldenId, r.Origin, r.Weight)));
        Assert.Equal(person.Meta.VersionId, (await fhir.SearchAsync($"Person?_id={golden}")).Entry.Single().Resource.Meta.VersionId);
    }

    [Fact]
    public async Task Patients_whose_mpi_rows_were_lost_get_them_back_with_their_golden_record_kept()
    {
        using var fhir = app.CreateFhirClient();
        var (first, second, golden) = await LinkedPairAsync(fhir, ("Đinh", ["Thị", "Hiền"]), ("Dinh", ["Thi", "Hien"]), "1979-10-02", AdministrativeGender.Female);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PatientsDbContext>();
            string[] ids = [first.Id, second.Id];
            await db.BlockingKeys.Where(k => ids.Contains(k.PatientId)).ExecuteDeleteAsync(Token);
            await db.Sources.Where(s => ids.Contains(s.PatientId)).ExecuteDeleteAsync(Token);
        }

        var (exitCode, output) = await DedupeAsync();

        Assert.True(exitCode == 0, output);
        Assert.Equal([golden, golden], (await SourcesAsync(first.Id, second.Id)).Select(r => r.GoldenId));
        Assert.Equal([golden], await GoldenIdsOfAsync(fhir, first.Id));
        Assert.Equal([golden], await GoldenIdsOfAsync(fhir, second.Id));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The linker finds them again by their blocking keys.
            var db = scope.ServiceProvider.GetRequiredService<PatientsDbContext>();
            Assert.True(await db.BlockingKeys.AnyAsync(k => k.PatientId == first.Id, Token));
        }
    }

    [Fact]
    public async Task A_golden_record_out_of_step_with_its_links_is_written_again()
    {
        using var fhir = app.CreateFhirClient();
        var (first, second, golden) = await LinkedPairAsync(fhir, ("Vũ", ["Đình", "Toàn"]), ("Vu", ["Dinh", "Toan"]), "1960-06-06", AdministrativeGender.Male);
        using (var deleted = await fhir.DeleteAsync($"Person/{golden}", Token))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        var (exitCode, output) = await DedupeAsync();

        Assert.True(exitCode == 0, output);
        Assert.Equal([golden], await GoldenIdsOfAsync(fhir, first.Id));
        Assert.Equal([golden], await GoldenIdsOfAsync(fhir, second.Id));
    }

    [Fact]
    public async Task A_dry_run_lists_what_would_change_and_writes_nothing()
    {
        var cccd = NewCccd(female: true, 1994);
        var first = Source(NewFacility(), "Hà", ["Thị", "Thu", "Trang"], "1994-02-17", AdministrativeGender.Female, cccd);
        var second = Source(NewFacility(), "Ha", ["Thi", "Thu", "Trang"], "1994-02-17", AdministrativeGender.Female, cccd);
        await ImportAsync(first, second);

        var (exitCode, output) = await DedupeAsync("--dry-run");

        Assert.Equal(0, exitCode);
        Assert.Contains("Dry run, nothing written", output, StringComparison.Ordinal);
        Assert.Contains($"Patient/{first.Id}: (not linked)", output, StringComparison.Ordinal);
        Assert.Empty(await SourcesAsync(first.Id, second.Id));
        using var fhir = app.CreateFhirClient();
        Assert.Empty(await GoldenIdsOfAsync(fhir, first.Id));
        Assert.Empty(await GoldenIdsOfAsync(fhir, second.Id));
    }

    [Fact]
    public async Task A_reviewers_link_and_a_reviewers_not_the_same_person_survive_mpi_dedupe()
    {
        var facility = NewFacility();
        var cccd = NewCccd(female: false, 1971);
        var refusedA = Source(facility, "Trương", ["Công", "Định"], "1971-09-09", AdministrativeGender.Male, cccd);
        var refusedB = Source(NewFacility(), "Truong", ["Cong", "Dinh"], "1971-09-09", AdministrativeGender.Male, cccd);
        var linkedA = Source(facility, "Ksor", ["H'Blơn"], "1988", AdministrativeGender.Female, cccd: null);
        var linkedB = Source(NewFacility(), "Rơ Châm", ["H'Lan"], "1989-05-01", AdministrativeGender.Female, cccd: null);
        await ImportAsync(refusedA, refusedB, linkedA, linkedB);
        await DedupeAsync();
        using var fhir = app.CreateFhirClient();
        Assert.Equal(await GoldenIdsOfAsync(fhir, refusedA.Id), await GoldenIdsOfAsync(fhir, refusedB.Id));
        Assert.NotEqual(await GoldenIdsOfAsync(fhir, linkedA.Id), await GoldenIdsOfAsync(fhir, linkedB.Id));

        // What the review queue will do when it has a page: a reviewer refuses the first pair, and links the second
        // pair (a person the matcher cannot see is one) into linkedA's golden record.
        var linkedGolden = Assert.Single(await GoldenIdsOfAsync(fhir, linkedA.Id));
        var formerGolden = Assert.Single(await GoldenIdsOfAsync(fhir, linkedB.Id));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PatientsDbContext>();
            var (a, b) = string.CompareOrdinal(refusedA.Id, refusedB.Id) < 0 ? (refusedA.Id, refusedB.Id) : (refusedB.Id, refusedA.Id);
            db.NonMatches.Add(new NonMatchRow { PatientA = a, PatientB = b, DecidedBy = "test-reviewer", DecidedAt = DateTimeOffset.UtcNow, Reason = "Hai người khác nhau" });
            var row = await db.Sources.SingleAsync(s => s.PatientId == linkedB.Id, Token);
            (row.GoldenId, row.Origin, row.Weight) = (linkedGolden, "reviewer", null);
            await db.SaveChangesAsync(Token);
            var linker = scope.ServiceProvider.GetRequiredService<PatientLinker>();
            await linker.RebuildGoldenAsync(linkedGolden, Token);
            await linker.RebuildGoldenAsync(formerGolden, Token);
        }

        var (exitCode, output) = await DedupeAsync();

        Assert.Equal(0, exitCode);
        Assert.NotEqual(await GoldenIdsOfAsync(fhir, refusedA.Id), await GoldenIdsOfAsync(fhir, refusedB.Id));
        Assert.Single(await GoldenIdsOfAsync(fhir, refusedA.Id));
        Assert.Single(await GoldenIdsOfAsync(fhir, refusedB.Id));
        Assert.Equal([linkedGolden], await GoldenIdsOfAsync(fhir, linkedA.Id));
        Assert.Equal([linkedGolden], await GoldenIdsOfAsync(fhir, linkedB.Id));
        Assert.Equal("reviewer", (await SourcesAsync(linkedB.Id)).Single().Origin);
        Assert.Matches(new Regex(@"overruled by reviewers' decisions\W+[1-9]"), output);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PatientsDbContext>();
            Assert.False(await db.ReviewItems.AnyAsync(
                i => i.Status == "open" && ((i.PatientId == refusedA.Id && i.CandidateId == refusedB.Id) || (i.PatientId == refusedB.Id && i.CandidateId == refusedA.Id)),
                Token));
        }

        Assert.Contains("Nothing to change", (await DedupeAsync()).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_counts_a_person_registered_twice_at_one_facility()
    {
        var (hospital, elsewhere) = (NewFacility(), NewFacility());
        var cccd = NewCccd(female: true, 1967);
        var twice = new[]
        {
            Source(hospital, "Phan", ["Thị", "Ngọc", "Ánh"], "1967-07-21", AdministrativeGender.Female, cccd),
            Source(hospital, "Phan", ["Thi", "Ngoc", "Anh"], "1967-07-21", AdministrativeGender.Female, cccd),
            Source(elsewhere, "Phan", ["Thị", "Ngọc", "Ánh"], "1967-07-21", AdministrativeGender.Female, cccd),
        };
        var once = Source(hospital, "Y", ["Bhăm"], "2001-03-03", AdministrativeGender.Male, NewCccd(female: false, 2001));
        await ImportAsync([.. twice, once]);
        await DedupeAsync();
        var csv = Path.Combine(_folder, "duplicates.csv");

        var (exitCode, output) = await YTeSoCli.RunAsync(MpiReportCommand.RunAsync, ["--csv", csv, .. app.CliDatabaseArguments]);

        Assert.Equal(0, exitCode);
        Assert.Contains(hospital, output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(csv, Token);
        Assert.Equal(MpiReportCommand.CsvHeader, lines[0]);
        Assert.Equal($"{hospital},3,2,2,1,0", Assert.Single(lines, l => l.StartsWith(hospital + ",", StringComparison.Ordinal)));
        Assert.Equal($"{elsewhere},1,1,0,1,0", Assert.Single(lines, l => l.StartsWith(elsewhere + ",", StringComparison.Ordinal)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS to clean
        }
    }

    private Task<(int ExitCode, string Output)> DedupeAsync(params string[] args) =>
        YTeSoCli.RunAsync(MpiDedupeCommand.RunAsync, [.. args, .. app.CliDatabaseArguments]);

    private async Task ImportAsync(params Patient[] patients)
    {
        var file = Path.Combine(_folder, $"{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(file, patients.Select(p => Serializer.SerializeToString(p)), Token);
        var (exitCode, output) = await YTeSoCli.ImportAsync(app, file);
        Assert.True(exitCode == 0, output);
    }

    /// <summary>Two records of one person created through the FHIR API, so the real-time linker links them.</summary>
    private static async Task<(Patient First, Patient Second, string Golden)> LinkedPairAsync(
        HttpClient fhir, (string Family, string[] Given) first, (string Family, string[] Given) second, string birthDate, AdministrativeGender sex)
    {
        var cccd = NewCccd(sex == AdministrativeGender.Female, int.Parse(birthDate[..4], CultureInfo.InvariantCulture));
        var a = await fhir.CreateAsync(Source(NewFacility(), first.Family, first.Given, birthDate, sex, cccd));
        var b = await fhir.CreateAsync(Source(NewFacility(), second.Family, second.Given, birthDate, sex, cccd));
        var golden = Assert.Single(await GoldenIdsOfAsync(fhir, a.Id));
        Assert.Equal([golden], await GoldenIdsOfAsync(fhir, b.Id));
        return (a, b, golden);
    }

    private async Task<List<SourceRecordRow>> SourcesAsync(params string[] patientIds)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PatientsDbContext>();
        return await db.Sources.AsNoTracking().Where(s => patientIds.Contains(s.PatientId)).OrderBy(s => s.PatientId).ToListAsync(Token);
    }

    private static async Task<List<string>> GoldenIdsOfAsync(HttpClient fhir, string patientId) =>
        (await fhir.SearchAsync($"Person?patient=Patient/{patientId}&_tag={Golden}")).MatchIds();

    /// <summary>A synthetic source Patient as a facility sends it: its facility code, its own patient number (MA_BN).</summary>
    private static Patient Source(string facility, string family, string[] given, string birthDate, AdministrativeGender sex, string? cccd)
    {
        var patient = new Patient
        {
            Id = Guid.CreateVersion7().ToString(),
            Name = [new HumanName { Family = family, Given = given }],
            BirthDate = birthDate,
            Gender = sex,
            ManagingOrganization = new ResourceReference { Identifier = new Identifier("https://yteso.vn/fhir/sid/ma-co-so-kcb", facility) },
            Identifier = [new Identifier($"https://yteso.vn/fhir/sid/ma-bn/{facility}", $"BN{Random.Shared.Next(100_000, 999_999)}")],
        };
        if (cccd is not null)
        {
            patient.Identifier.Add(new Identifier("https://yteso.vn/fhir/sid/cccd", cccd));
        }

        return patient;
    }

    /// <summary>A random 5-digit facility code, so each test's facilities are its own in the class's shared database.</summary>
    private static string NewFacility() => Random.Shared.Next(10_000, 100_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>A structurally valid, random CCCD (vn-standards §4.2) registered in old province 066 (Đắk Lắk).</summary>
    private static string NewCccd(bool female, int birthYear) =>
        string.Create(CultureInfo.InvariantCulture, $"066{(((birthYear / 100) - 19) * 2) + (female ? 1 : 0)}{birthYear % 100:D2}{Random.Shared.Next(0, 1_000_000):D6}");
}
