using Microsoft.EntityFrameworkCore;
using YTeSo.Patients.Persistence;

namespace YTeSo.Patients.ReportDuplicates;

/// <summary>One facility's line of the duplicate report.</summary>
/// <param name="FacilityCode">The mã cơ sở KCB; empty for records of no known facility, and on the total line.</param>
/// <param name="Records">Source records the facility sent.</param>
/// <param name="Persons">Distinct persons (golden records) among them.</param>
/// <param name="DuplicatesWithin">
/// Records that share their person with another record of the same facility: the facility registered the person more
/// than once, which is what it can clean up itself (merge the two).
/// </param>
/// <param name="PersonsSeenElsewhere">Persons of this facility who also have a record at another facility.</param>
/// <param name="OpenReviewItems">Open review items with at least one record of this facility.</param>
public sealed record FacilityDuplicatesRow(string FacilityCode, int Records, int Persons, int DuplicatesWithin, int PersonsSeenElsewhere, int OpenReviewItems)
{
    public double DuplicateRate => Records == 0 ? 0 : (double)DuplicatesWithin / Records;
}

/// <summary>The per-facility duplicate report (<c>yteso mpi report</c>), and the province as a whole.</summary>
public sealed record ReportDuplicatesResponse(IReadOnlyList<FacilityDuplicatesRow> Facilities, FacilityDuplicatesRow Total, DateTimeOffset At);

/// <summary>
/// Counts, from the MPI's link table as the real-time linker and the last <c>mpi dedupe</c> left it, how many persons
/// each facility registered more than once and how many it shares with other facilities. It reads three columns of the
/// source rows and the open review pairs, never the FHIR store.
/// </summary>
internal sealed class ReportDuplicatesHandler(PatientsDbContext db, TimeProvider clock)
{
    public async Task<ReportDuplicatesResponse> HandleAsync(CancellationToken cancellationToken)
    {
        var sources = await db.Sources.AsNoTracking()
            .Select(s => new { s.PatientId, s.GoldenId, s.FacilityCode })
            .ToListAsync(cancellationToken);
        var open = await db.ReviewItems.AsNoTracking().Where(i => i.Status == "open")
            .Select(i => new { i.PatientId, i.CandidateId })
            .ToListAsync(cancellationToken);

        var facilityOf = sources.ToDictionary(s => s.PatientId, s => s.FacilityCode ?? "", StringComparer.Ordinal);
        var facilitiesOfPerson = sources.GroupBy(s => s.GoldenId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => s.FacilityCode ?? "").Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var openByFacility = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in open)
        {
            // An item between two records of one facility counts once for it.
            foreach (var code in new[] { facilityOf.GetValueOrDefault(item.PatientId), facilityOf.GetValueOrDefault(item.CandidateId) }
                         .OfType<string>().Distinct(StringComparer.Ordinal))
            {
                openByFacility[code] = openByFacility.GetValueOrDefault(code) + 1;
            }
        }

        var rows = sources
            .GroupBy(s => s.FacilityCode ?? "", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var persons = g.GroupBy(s => s.GoldenId, StringComparer.Ordinal).ToList();
                return new FacilityDuplicatesRow(
                    g.Key,
                    g.Count(),
                    persons.Count,
                    persons.Where(p => p.Count() > 1).Sum(p => p.Count()),
                    persons.Count(p => facilitiesOfPerson[p.Key] > 1),
                    openByFacility.GetValueOrDefault(g.Key));
            })
            .ToList();

        var total = new FacilityDuplicatesRow(
            "",
            sources.Count,
            facilitiesOfPerson.Count,
            rows.Sum(r => r.DuplicatesWithin),
            facilitiesOfPerson.Count(p => p.Value > 1),
            open.Count(i => facilityOf.ContainsKey(i.PatientId) || facilityOf.ContainsKey(i.CandidateId)));
        return new ReportDuplicatesResponse(rows, total, clock.GetUtcNow());
    }
}
