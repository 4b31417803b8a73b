using Microsoft.EntityFrameworkCore;
using YTeSo.Registry.AdministrativeUnits;
using YTeSo.Registry.Persistence;

namespace YTeSo.Registry.ImportAdministrativeUnits;

/// <summary>What an import changed. Units no longer in the files are counted, never deleted: old addresses still use them.</summary>
public sealed record AdministrativeUnitImportReport(
    int Provinces,
    int Communes,
    int LegacyProvinces,
    int LegacyDistricts,
    int LegacyCommunes,
    int Successions,
    int Added,
    int Changed,
    int Unchanged,
    int NotInFiles,
    IReadOnlyList<string> Changes,
    AdministrativeUnitLocationReport Locations);

/// <summary>
/// Loads the administrative units from a folder holding the published files (the names of ../shared/data/admin-units):
/// <c>communes-2025-with-location.csv</c> (required), <c>gso-legacy-communes-2025-07-18.csv</c> and
/// <c>legacy-to-2025-communes.csv</c>. Every file is read and checked before anything is written, then everything is
/// written in one transaction, so a bad line changes nothing. Running it again with the same files changes nothing.
/// Then the units are published as FHIR Locations (<see cref="AdministrativeUnitLocations"/>), again writing only what
/// changed; a failure there leaves the tables imported, and the next run publishes what is missing.
/// </summary>
internal sealed class ImportAdministrativeUnitsHandler(RegistryDbContext db, AdministrativeUnitDirectory directory, AdministrativeUnitLocations locations)
{
    public const string CurrentFile = "communes-2025-with-location.csv";
    public const string LegacyFile = "gso-legacy-communes-2025-07-18.csv";
    public const string SuccessionFile = "legacy-to-2025-communes.csv";
    private const int ChangesListed = 50;

    public async Task<AdministrativeUnitImportReport> HandleAsync(string folder, CancellationToken cancellationToken)
    {
        List<AdministrativeUnitRow> current, legacy = [];
        List<CommuneSuccessionRow> successions = [];
        List<AdministrativeUnitRow> islandDistricts = [];
        using (var reader = Open(folder, CurrentFile, required: true)!)
        {
            current = AdministrativeUnitFiles.ReadCurrent(reader, CurrentFile);
        }

        using (var reader = Open(folder, LegacyFile, required: false))
        {
            legacy = reader is null ? [] : AdministrativeUnitFiles.ReadLegacy(reader, LegacyFile);
        }

        using (var reader = Open(folder, SuccessionFile, required: false))
        {
            (successions, islandDistricts) = reader is null ? ([], []) : AdministrativeUnitFiles.ReadSuccessions(reader, SuccessionFile);
        }

        legacy.AddRange(islandDistricts.Where(d => !legacy.Any(u => u.Level == "district" && u.Code == d.Code)));

        var units = current.Concat(legacy).ToList();
        var existing = await db.AdministrativeUnits.ToDictionaryAsync(u => (u.Level, u.Code, u.ValidFrom), cancellationToken);
        int added = 0, changed = 0, unchanged = 0;
        var changes = new List<string>();
        foreach (var unit in units)
        {
            if (!existing.Remove((unit.Level, unit.Code, unit.ValidFrom), out var stored))
            {
                db.AdministrativeUnits.Add(unit);
                added++;
                continue;
            }

            var differences = Differences(stored, unit);
            if (differences.Count == 0)
            {
                unchanged++;
                continue;
            }

            if (changes.Count < ChangesListed)
            {
                changes.Add($"{unit.Level} {unit.Code}: {string.Join("; ", differences)}");
            }

            (stored.Type, stored.Name, stored.ParentCode, stored.ProvinceCode, stored.ValidTo, stored.Latitude, stored.Longitude) =
                (unit.Type, unit.Name, unit.ParentCode, unit.ProvinceCode, unit.ValidTo, unit.Latitude, unit.Longitude);
            changed++;
        }

        var storedSuccessions = await db.CommuneSuccessions.ToDictionaryAsync(s => (s.LegacyLevel, s.LegacyCode, s.CurrentCode), cancellationToken);
        foreach (var succession in successions)
        {
            if (!storedSuccessions.Remove((succession.LegacyLevel, succession.LegacyCode, succession.CurrentCode), out var stored))
            {
                db.CommuneSuccessions.Add(succession);
                added++;
            }
            else if (stored.Divided != succession.Divided)
            {
                stored.Divided = succession.Divided;
                changed++;
            }
            else
            {
                unchanged++;
            }
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Invalidate();
        var published = await locations.PublishAsync(units, cancellationToken);
        return new AdministrativeUnitImportReport(
            current.Count(u => u.Level == "province"),
            current.Count(u => u.Level == "commune"),
            legacy.Count(u => u.Level == "province"),
            legacy.Count(u => u.Level == "district"),
            legacy.Count(u => u.Level == "commune"),
            successions.Count,
            added,
            changed,
            unchanged,
            existing.Count + storedSuccessions.Count,
            changes,
            published);
    }

    private static StreamReader? Open(string folder, string name, bool required)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            return required ? throw new FileNotFoundException($"{name} is not in {folder}; it is the list of units in force since 1 July 2025.", path) : null;
        }

        return new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
    }

    private static List<string> Differences(AdministrativeUnitRow stored, AdministrativeUnitRow read)
    {
        var differences = new List<string>();
        Compare("name", stored.Name, read.Name);
        Compare("type", stored.Type, read.Type);
        Compare("parent", stored.ParentCode, read.ParentCode);
        Compare("province", stored.ProvinceCode, read.ProvinceCode);
        Compare("valid to", stored.ValidTo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), read.ValidTo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (stored.Latitude != read.Latitude || stored.Longitude != read.Longitude)
        {
            differences.Add("coordinates");
        }

        return differences;

        void Compare(string what, string? before, string? after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                differences.Add($"{what} '{before}' → '{after}'");
            }
        }
    }
}
