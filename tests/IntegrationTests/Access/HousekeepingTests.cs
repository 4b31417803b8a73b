using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenIddict.Abstractions;
using YTeSo.Access.Tokens;
using YTeSo.Fhir;
using YTeSo.Fhir.Operations;
using YTeSo.IntegrationTests.Auditing;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// The host's housekeeping jobs, run once on a clock moved forward: finished exports are deleted with their files after
/// the retention period, and spent tokens are pruned while live ones stay.
/// </summary>
public sealed class HousekeepingTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_finished_export_is_deleted_with_its_files_after_the_retention_period_and_not_before()
    {
        using var fhir = app.CreateFhirClient();
        await fhir.CreateAsync(new Patient { Name = [new HumanName { Family = "Lưu", Given = ["Thị Tạm"] }] });
        var status = await fhir.StartExportAsync("$export?_type=Patient");
        var file = (string)(await fhir.WaitForExportAsync(status))["output"]![0]!["url"]!;
        var folder = Path.Combine(app.DataDirectory, "exports", status.Segments[^1]);
        Assert.True(Directory.Exists(folder), folder);
        var retention = app.Services.GetRequiredService<FhirOptions>().ExportRetentionHours;

        Assert.Null(await CleanupAt(DateTimeOffset.UtcNow.AddHours(retention - 1)).RunOnceAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await fhir.GetAsync(file, Ct)).StatusCode);

        Assert.NotNull(await CleanupAt(DateTimeOffset.UtcNow.AddHours(retention + 1)).RunOnceAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await fhir.GetAsync(status, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fhir.GetAsync(file, Ct)).StatusCode);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Spent_tokens_are_pruned_after_a_day_and_live_ones_stay()
    {
        var spent = TokenId(await app.RequestTokenAsync(YTeSoApp.TestClientId, YTeSoApp.TestClientSecret, "system/Patient.rs"));
        var live = TokenId(await app.RequestTokenAsync(YTeSoApp.TestClientId, YTeSoApp.TestClientSecret, "system/Patient.rs"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            Assert.True(await tokens.TryRevokeAsync((await tokens.FindByIdAsync(spent, Ct))!, Ct));
        }

        // Within the day's grace the spent row stays (refresh-token replay detection needs it); two days on it goes.
        await PruningAt(DateTimeOffset.UtcNow).RunOnceAsync(Ct);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().FindByIdAsync(spent, Ct));
        }

        Assert.Contains("removed", await PruningAt(DateTimeOffset.UtcNow.AddDays(2)).RunOnceAsync(Ct), StringComparison.Ordinal);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            Assert.Null(await tokens.FindByIdAsync(spent, Ct));
            Assert.NotNull(await tokens.FindByIdAsync(live, Ct));
        }
    }

    private TokenPruning PruningAt(DateTimeOffset now) =>
        new(app.Services.GetRequiredService<IServiceScopeFactory>(), new ManualClock(now), NullLogger<TokenPruning>.Instance);

    private ExportCleanup CleanupAt(DateTimeOffset now) =>
        new(app.Services.GetRequiredService<ExportJobs>(), app.Services.GetRequiredService<FhirOptions>(), new ManualClock(now), NullLogger<ExportCleanup>.Instance);

    /// <summary>Access tokens are signed JWTs; OpenIddict names their database row in the <c>oi_tkn_id</c> claim.</summary>
    private static string TokenId(string jwt) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(jwt).GetClaim("oi_tkn_id").Value;
}
