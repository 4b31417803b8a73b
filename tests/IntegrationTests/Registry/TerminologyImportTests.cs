using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Cli;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Registry.AdministrativeUnits;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// <c>yteso import icd10</c> into a running host's database (a good file becomes the version in force over the shipped
/// sample; a bad file is reported line by line and writes nothing; a second import writes nothing), and
/// <c>ConceptMap/$translate</c> of a pre-reform commune to today's (needs ../shared/data/admin-units).
/// </summary>
public sealed class TerminologyImportTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    private const string Header = "Mã chương,Tên chương,Chapter name,Mã nhóm chính,Tên nhóm chính,Main group name I,Mã loại,Tên loại,Type name,Mã bệnh,Tên bệnh,Disease name";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_imported_icd10_list_answers_instead_of_the_sample_and_a_second_import_writes_nothing()
    {
        var file = Write(
            Header,
            "IX,Bệnh hệ tuần hoàn,Diseases of the circulatory system,I10-I15,Bệnh lý tăng huyết áp,Hypertensive diseases,I10,Tăng huyết áp nguyên phát,Essential (primary) hypertension,I10,Tăng huyết áp nguyên phát,Essential (primary) hypertension",
            "IX,Bệnh hệ tuần hoàn,Diseases of the circulatory system,I10-I15,Bệnh lý tăng huyết áp,Hypertensive diseases,I11,Bệnh tim do tăng huyết áp,Hypertensive heart disease,I11.0,\"Bệnh tim do tăng huyết áp, có suy tim (sung huyết)\",Hypertensive heart disease with (congestive) heart failure");
        using var fhir = app.CreateFhirClient();
        var before = (await fhir.SendAsync<Parameters>(HttpMethod.Get, "CodeSystem/$lookup?system=http://hl7.org/fhir/sid/icd-10&code=I10")).Resource; // the index is built now

        var (exitCode, output) = await YTeSoCli.RunAsync(ImportIcd10Command.RunAsync, [file, "--version", "kiem-thu-1", .. app.CliDatabaseArguments]);
        var (secondExit, secondOutput) = await YTeSoCli.RunAsync(ImportIcd10Command.RunAsync, [file, "--version", "kiem-thu-1", .. app.CliDatabaseArguments]);
        // The command wrote from its own services: the host learns of it from the change outbox (its worker retries every 5 s).
        var lookup = await UntilAsync(fhir, "CodeSystem/$lookup?system=http://hl7.org/fhir/sid/icd-10&code=I11.0", p => p.GetSingleValue<FhirString>("version")?.Value == "kiem-thu-1");
        var expansion = (await fhir.SendAsync<ValueSet>(HttpMethod.Get, "ValueSet/icd-10/$expand?filter=tang huyet ap")).Resource;
        var history = await fhir.SearchAsync("CodeSystem/icd-10-vn-kiem-thu-1/_history");

        Assert.Equal("4469/QĐ-BYT-2020-mau", before.GetSingleValue<FhirString>("version").Value);
        Assert.Equal(0, exitCode);
        Assert.Contains("1 chapters, 1 blocks, 2 categories, 2 codes", output, StringComparison.Ordinal);
        Assert.Equal(0, secondExit);
        Assert.Contains("Unchanged", secondOutput, StringComparison.Ordinal);
        Assert.Single(history.Entry);
        Assert.Equal("kiem-thu-1", lookup.GetSingleValue<FhirString>("version").Value);
        Assert.Equal("I11", ((Code)lookup.Get("property").Single().Part.Single(p => p.Name == "value").Value).Value);
        Assert.Equal(["I10-I15", "I10", "I11", "I11.0"], expansion.Expansion.Contains.Select(c => c.Code!).ToArray());
        Assert.All(expansion.Expansion.Contains, c => Assert.Equal("kiem-thu-1", c.Version));
    }

    [Fact]
    public async Task A_bad_icd10_file_is_reported_line_by_line_and_writes_nothing()
    {
        var file = Write(
            Header,
            "IX,Bệnh hệ tuần hoàn,,I10-I15,Bệnh lý tăng huyết áp,,I10,Tăng huyết áp,,I10,Tăng huyết áp nguyên phát,",
            "IX,Bệnh hệ tuần hoàn,,I10-I15,Bệnh lý tăng huyết áp,,I1,Tăng huyết áp,,I1X,Mã sai,",
            "IX,Bệnh hệ tuần hoàn,,I10-I15,Bệnh lý tăng huyết áp,,I11,Bệnh tim,,I11.0,,");
        using var fhir = app.CreateFhirClient();
        var before = (await fhir.SearchAsync("CodeSystem?url=http://hl7.org/fhir/sid/icd-10&_summary=count")).Total;

        var (exitCode, output) = await YTeSoCli.RunAsync(ImportIcd10Command.RunAsync, [file, "--version", "hong", .. app.CliDatabaseArguments]);
        var noHeader = Write("STT,Tên", "1,Không có cột mã");
        var (noHeaderExit, noHeaderOutput) = await YTeSoCli.RunAsync(ImportIcd10Command.RunAsync, [noHeader, .. app.CliDatabaseArguments]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{Path.GetFileName(file)}, line 3: 'I1X' is not an ICD-10 code", output, StringComparison.Ordinal);
        Assert.Contains($"{Path.GetFileName(file)}, line 4: code I11.0 has no Vietnamese name", output, StringComparison.Ordinal);
        Assert.Contains("Nothing imported", output, StringComparison.Ordinal);
        Assert.Equal(before, (await fhir.SearchAsync("CodeSystem?url=http://hl7.org/fhir/sid/icd-10&_summary=count")).Total);
        Assert.Equal(HttpStatusCode.NotFound, (await fhir.GetAsync("CodeSystem/icd-10-vn-hong", Ct)).StatusCode);
        Assert.Equal(1, noHeaderExit);
        Assert.Contains("no column for code", noHeaderOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_converts_a_pre_reform_commune_to_the_commune_it_became()
    {
        var folder = Path.GetDirectoryName(SharedData.RequireFile("admin-units/communes-2025-with-location.csv"))!;
        var (imported, importOutput) = await YTeSoCli.RunAsync(ImportAdminUnitsCommand.RunAsync, [folder, .. app.CliDatabaseArguments]);
        Assert.True(imported == 0, importOutput);
        app.Services.GetRequiredService<AdministrativeUnitDirectory>().Invalidate(); // the CLI wrote behind the host's copy
        using var fhir = app.CreateFhirClient();

        // Phường Phúc Xá, Quận Ba Đình, Hà Nội (legacy 00001) became Phường Hồng Hà (00097) on 1 July 2025.
        var (status, result) = await fhir.SendAsync<Parameters>(HttpMethod.Get,
            "ConceptMap/$translate?url=https://yteso.vn/fhir/ConceptMap/don-vi-hanh-chinh-2025&system=https://yteso.vn/fhir/CodeSystem/don-vi-hanh-chinh-truoc-2025&code=00001");
        var unknown = (await fhir.SendAsync<Parameters>(HttpMethod.Post, "ConceptMap/$translate", new Parameters()
            .Add("coding", new Coding("https://yteso.vn/fhir/CodeSystem/don-vi-hanh-chinh-truoc-2025", "99999")))).Resource;
        var current = (await fhir.SendAsync<Parameters>(HttpMethod.Get, "CodeSystem/$lookup?system=https://yteso.vn/fhir/CodeSystem/don-vi-hanh-chinh&code=00097")).Resource;
        var reused = (await fhir.SendAsync<Parameters>(HttpMethod.Get, "CodeSystem/$validate-code?url=https://yteso.vn/fhir/CodeSystem/don-vi-hanh-chinh&code=00001")).Resource;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(result.GetSingleValue<FhirBoolean>("result").Value);
        var match = Assert.Single(result.Get("match"));
        var concept = (Coding)match.Part.Single(p => p.Name == "concept").Value;
        Assert.Equal(("00097", "Phường Hồng Hà"), (concept.Code, concept.Display));
        Assert.Equal("wider", ((Code)match.Part.Single(p => p.Name == "equivalence").Value).Value);
        Assert.False(unknown.GetSingleValue<FhirBoolean>("result").Value);
        Assert.Equal("Phường Hồng Hà", current.GetSingleValue<FhirString>("display").Value);
        Assert.False(reused.GetSingleValue<FhirBoolean>("result").Value);
    }

    /// <summary>The operation's answer once it satisfies <paramref name="done"/>, or the last one after 30 seconds.</summary>
    private static async Task<Parameters> UntilAsync(HttpClient fhir, string url, Func<Parameters, bool> done)
    {
        Parameters answer = new();
        for (var attempt = 0; attempt < 60; attempt++)
        {
            using var response = await fhir.GetAsync(url, Ct);
            if (response.StatusCode == HttpStatusCode.OK && done(answer = await response.ReadAsync<Parameters>()))
            {
                break;
            }

            await Task.Delay(500, Ct);
        }

        return answer;
    }

    private static string Write(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"icd10-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }
}
