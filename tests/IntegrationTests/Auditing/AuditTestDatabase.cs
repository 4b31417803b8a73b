using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;

namespace YTeSo.IntegrationTests.Auditing;

/// <summary>
/// A fresh audit trail for one test: a temporary SQLite folder, or a new PostgreSQL database when the tests run on
/// PostgreSQL. Tampering tests need a chain of their own, so this is per test, not per class.
/// </summary>
internal sealed class AuditTestDatabase : IAsyncDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "yteso-tests", Guid.NewGuid().ToString("N"));
    private readonly string? _postgres = TestDatabase.IsPostgres ? TestDatabase.NewPostgresDatabase() : null;

    public IReadOnlyList<string> CliArguments => _postgres is null ? ["--data", _dataDirectory] : ["--postgres", _postgres];

    public string DataDirectory => _dataDirectory;

    /// <summary>The platform's services over this database, as a host builds them; dispose to shut the writer down.</summary>
    public ServiceProvider Open(TimeProvider? clock = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = _postgres is null ? "Sqlite" : "Postgres",
            ["Database:DataDirectory"] = _dataDirectory,
            ["ConnectionStrings:Postgres"] = _postgres,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration);
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>Runs SQL straight against the trail's tables, as someone with database access would.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Runs SQL after removing the append-only triggers, as an attacker who owns the tables can: the triggers are
    /// defence in depth, the verifier is what must catch this.
    /// </summary>
    public Task TamperAsync(string sql) => ExecuteAsync(_postgres is null
        ? "DROP TRIGGER IF EXISTS audit_trail_no_update; DROP TRIGGER IF EXISTS audit_trail_no_delete; " +
          "DROP TRIGGER IF EXISTS audit_patient_no_update; DROP TRIGGER IF EXISTS audit_patient_no_delete; " + sql
        : "ALTER TABLE audit_trail DISABLE TRIGGER USER; ALTER TABLE audit_patient DISABLE TRIGGER USER; " + sql);

    public async Task<DbConnection> ConnectAsync()
    {
        DbConnection connection = _postgres is null
            ? new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "audit.db")};Pooling=False")
            : new NpgsqlConnection(_postgres);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await TestDatabase.DropPostgresDatabaseAsync(_postgres);
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // nothing was written
        }
        catch (IOException)
        {
            // a file still open on some platforms; the temp folder is cleaned by the OS
        }
    }
}

/// <summary>A clock the test sets (the trail reads time only through TimeProvider).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Synthetic audit records: made-up staff and patients.</summary>
internal static class AuditSamples
{
    public static readonly AuditActor Doctor = new(
        "staff/bs-nguyen-van-a", "BS. Nguyễn Văn A", Role: "doctor", FacilityId: "bv-da-khoa-tinh", ClientId: null, SourceIp: "10.20.30.40", PurposeOfUse: "TREAT");

    public static readonly AuditActor Nurse = new("staff/dd-tran-thi-b", "ĐD. Trần Thị B", Role: "nurse", FacilityId: "tyt-xa-ea-tu", SourceIp: "10.20.30.41", PurposeOfUse: "TREAT");

    public static AuditRecord Read(AuditActor actor, string patientId) =>
        new(AuditActions.Read, AuditOutcomes.Success, actor, "Patient", [$"Patient/{patientId}"], [patientId]);

    public static async Task<AuditVerification> VerifyAsync(this ServiceProvider services, AuditHead? anchor = null) =>
        await services.GetRequiredService<AuditVerifier>().VerifyAsync(anchor, TestContext.Current.CancellationToken);

    public static async Task RecordManyAsync(this ServiceProvider services, int count, Func<int, AuditRecord>? make = null)
    {
        var trail = services.GetRequiredService<IAuditTrail>();
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            trail.RecordAsync(make?.Invoke(i) ?? Read(Doctor, "p" + i), TestContext.Current.CancellationToken).AsTask()));
    }
}
