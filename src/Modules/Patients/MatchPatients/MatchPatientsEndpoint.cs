using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.Domain.Matching;
using YTeSo.Patients.LinkPatients;
using YTeSo.Patients.Persistence;

namespace YTeSo.Patients.MatchPatients;

/// <summary>
/// <c>POST /fhir/Patient/$match</c> (FHIR R4 patient-match): the MPI's candidates for a Patient in the body, one entry per
/// person, best first, each with <c>search.score</c> (the match probability) and the <c>match-grade</c> extension
/// (certain: same valid personal id; probable: above the automatic-link threshold; possible: the review band).
/// The caller sees only what its access allows: for each person, the best-scoring of that person's source Patients it may
/// read, otherwise nothing (and nothing says a hidden person exists). The person's golden record is a Person, not a
/// Patient, so it is not an entry here: <c>Person?patient=Patient/{id}</c> finds it.
/// </summary>
internal static class MatchPatientsEndpoint
{
    private const string MatchGradeExtension = "http://hl7.org/fhir/StructureDefinition/match-grade";

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/fhir/Patient/$match", HandleAsync);

    private static async Task HandleAsync(
        HttpContext context, IFhirAccessResolver resolver, IFhirJson json, IFhirRepository fhir, PatientsDbContext db, MatchEngine engine, CommuneTranslator communes)
    {
        var cancellationToken = context.RequestAborted;
        var access = await resolver.ResolveAsync(context, cancellationToken);
        if (!access.Allows("Patient", FhirInteractions.Read | FhirInteractions.Search))
        {
            await WriteAsync(context, json, 403, Outcome(OperationOutcome.IssueType.Forbidden, "$match needs scope Patient.rs."));
            return;
        }

        Parameters input;
        try
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            input = json.Parse(await reader.ReadToEndAsync(cancellationToken)) as Parameters
                ?? throw new FhirFormatException(["The body of $match must be a Parameters resource."]);
        }
        catch (FhirFormatException e)
        {
            await WriteAsync(context, json, 400, Outcome(OperationOutcome.IssueType.Invalid, e.Problems.ToArray()));
            return;
        }

        if (input.Parameter.FirstOrDefault(p => p.Name == "resource")?.Resource is not Patient patient)
        {
            await WriteAsync(context, json, 400, Outcome(OperationOutcome.IssueType.Required, "Parameter 'resource' must hold the Patient to match (patient-match operation)."));
            return;
        }

        var onlyCertain = input.Parameter.FirstOrDefault(p => p.Name == "onlyCertainMatches")?.Value is FhirBoolean { Value: true };
        var count = input.Parameter.FirstOrDefault(p => p.Name == "count")?.Value is Integer { Value: > 0 } c ? Math.Min(c.Value!.Value, 50) : 10;

        var prepared = MatchEngine.Prepare(await communes.ReadAsync(patient, cancellationToken));
        var keys = engine.BlockingKeys(prepared).Distinct(StringComparer.Ordinal).ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            ids.UnionWith(await db.BlockingKeys.Where(k => k.Key == key).Select(k => k.PatientId).Take(200).ToListAsync(cancellationToken));
        }

        var rows = new List<SourceRecordRow>();
        foreach (var chunk in ids.Chunk(500))
        {
            rows.AddRange(await db.Sources.AsNoTracking().Where(s => chunk.Contains(s.PatientId)).ToListAsync(cancellationToken));
        }

        var people = rows
            .Select(r => (Row: r, Result: engine.Compare(prepared, MatchEngine.Prepare(PatientLinker.Deserialize(r)))))
            .Where(x => x.Result.Grade != MatchGrade.NoMatch)
            .GroupBy(x => x.Row.GoldenId)
            .Select(g => g.OrderByDescending(x => x.Result.Weight).ToList())
            .OrderByDescending(g => g[0].Result.Weight)
            .ToList();

        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Id = Guid.CreateVersion7().ToString() };
        foreach (var person in people)
        {
            var best = person[0].Result;
            var grade = Grade(best);
            if (onlyCertain && grade != "certain")
            {
                continue;
            }

            Resource? shown = null;
            foreach (var source in person)
            {
                shown ??= await fhir.ReadAsync(access, "Patient", source.Row.PatientId, cancellationToken);
            }

            if (shown is null)
            {
                continue;
            }

            var search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match, Score = (decimal)Math.Round(best.Probability, 4) };
            search.SetExtension(MatchGradeExtension, new Code(grade));
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"Patient/{shown.Id}", Resource = shown, Search = search });
            if (bundle.Entry.Count == count)
            {
                break;
            }
        }

        bundle.Total = bundle.Entry.Count;
        await WriteAsync(context, json, 200, bundle);
    }

    /// <summary>The match-grade codes of R4 (certain, probable, possible, certainly-not).</summary>
    private static string Grade(MatchResult result) => result switch
    {
        { Grade: MatchGrade.Match, Rule: "same-personal-id" } => "certain",
        { Grade: MatchGrade.Match } => "probable",
        _ => "possible",
    };

    private static OperationOutcome Outcome(OperationOutcome.IssueType type, params string[] messages) => new()
    {
        Issue = [.. messages.Select(m => new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = type, Diagnostics = m })],
    };

    private static async Task WriteAsync(HttpContext context, IFhirJson json, int status, Resource resource)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/fhir+json; charset=utf-8";
        await context.Response.WriteAsync(json.Serialize(resource), context.RequestAborted);
    }
}
