using Microsoft.Extensions.DependencyInjection;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Auditing;

/// <summary>The web host registers and migrates the trail; SQLite keeps it in a file of its own.</summary>
public sealed class AuditTrailInWebHostTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Fact]
    public async Task The_web_host_records_through_its_trail_and_the_chain_verifies()
    {
        var trail = app.Services.GetRequiredService<IAuditTrail>();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            trail.RecordAsync(AuditSamples.Read(AuditSamples.Doctor, "web-" + i), TestContext.Current.CancellationToken).AsTask()));

        var result = await app.Services.GetRequiredService<AuditVerifier>().VerifyAsync(null, TestContext.Current.CancellationToken);
        Assert.True(result.Intact, result.Message);
        Assert.True(result.Records >= 40);
        if (!TestDatabase.IsPostgres)
        {
            var folder = app.CliDatabaseArguments[1];
            Assert.True(File.Exists(Path.Combine(folder, "audit.db")));
            Assert.True(File.Exists(Path.Combine(folder, "fhir.db")));
        }
    }
}
