using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Cli;

public sealed class SeedDemoCommandTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Fact]
    public async Task Seeding_the_demo_province_makes_its_citizens_readable_through_the_api()
    {
        var (exitCode, output) = await YTeSoCli.SeedDemoAsync(app, "--patients", "3");

        Assert.True(exitCode == 0, output);
        Assert.Contains("4 transaction bundles loaded", output, StringComparison.Ordinal);
        using var fhir = app.CreateFhirClient();
        var patients = await fhir.SearchAsync("Patient?_summary=count");
        Assert.Equal(3, patients.Total);
    }

    [Fact]
    public async Task Seeding_with_a_patient_count_that_is_not_a_number_shows_the_usage()
    {
        var (exitCode, output) = await YTeSoCli.SeedDemoAsync(app, "--patients", "many");

        Assert.Equal(64, exitCode);
        Assert.Contains("yteso seed-demo", output, StringComparison.Ordinal);
    }
}
