using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Platform.Text;
using YTeSo.Registry.Contracts;
using YTeSo.Registry.Persistence;

namespace YTeSo.Registry.AdministrativeUnits;

/// <summary>
/// <see cref="IAdministrativeUnits"/> from an in-memory copy of the tables: about 14,000 units and 10,600 successions
/// (a few MB), read once and again after each import, so address conversion inside imports and matching costs a
/// dictionary lookup, not a query.
/// </summary>
internal sealed class AdministrativeUnitDirectory(IServiceScopeFactory scopes) : IAdministrativeUnits, IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Snapshot? _snapshot;

    public async Task<AdministrativeUnit?> FindAsync(AdministrativeLevel level, string code, DateOnly day, CancellationToken cancellationToken) =>
        (await SnapshotAsync(cancellationToken)).ByCode.GetValueOrDefault((level, code))?.FirstOrDefault(u => u.InForceOn(day));

    /// <summary>False until an import has loaded units: checks that need them then check only the format.</summary>
    public async Task<bool> HasUnitsAsync(CancellationToken cancellationToken) => (await SnapshotAsync(cancellationToken)).Units.Count > 0;

    public async Task<IReadOnlyList<CommuneSuccession>> SuccessorsAsync(string legacyCode, CancellationToken cancellationToken) =>
        (await SnapshotAsync(cancellationToken)).Successors.GetValueOrDefault(legacyCode) ?? [];

    public async Task<IReadOnlyList<CommuneSuccession>> PredecessorsAsync(string communeCode, CancellationToken cancellationToken) =>
        (await SnapshotAsync(cancellationToken)).Predecessors.GetValueOrDefault(communeCode) ?? [];

    public async Task<IReadOnlyList<AdministrativeUnit>> SearchAsync(string text, DateOnly day, AdministrativeLevel? level, int max, CancellationToken cancellationToken)
    {
        var words = TextNormalizer.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return [];
        }

        // Names holding the words as typed, in order ("phuc xa" → Phường Phúc Xá), before names holding them anywhere
        // (Xã Phúc An); then provinces before communes, short names first.
        var phrase = string.Join(' ', words);
        var snapshot = await SnapshotAsync(cancellationToken);
        return
        [
            .. snapshot.Units
                .Where(u => (level is null || u.Unit.Level == level) && u.Unit.InForceOn(day) && words.All(w => u.Folded.Contains(w, StringComparison.Ordinal)))
                .OrderBy(u => u.Folded.Contains(phrase, StringComparison.Ordinal) ? 0 : 1)
                .ThenBy(u => u.Unit.Level)
                .ThenBy(u => u.Folded.Length)
                .Take(max)
                .Select(u => u.Unit),
        ];
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>Forgets the copy; the next call reads the tables again (after an import).</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } ready)
        {
            return ready;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } loaded)
            {
                return loaded;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            var rows = await db.AdministrativeUnits.AsNoTracking().ToListAsync(cancellationToken);
            var successions = await db.CommuneSuccessions.AsNoTracking().ToListAsync(cancellationToken);
            _snapshot = new Snapshot(rows.Select(r => r.ToUnit()).ToList(), successions);
            return _snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(List<AdministrativeUnit> units, List<CommuneSuccessionRow> successions)
        {
            Units = [.. units.Select(u => (u, TextNormalizer.Fold(u.Name)))];
            ByCode = units.GroupBy(u => (u.Level, u.Code)).ToDictionary(g => g.Key, g => g.OrderByDescending(u => u.ValidFrom ?? DateOnly.MinValue).ToList());
            var legacy = units.Where(u => u.Level != AdministrativeLevel.Province && u.ValidTo is not null).ToDictionary(u => (u.Level.ToString().ToLowerInvariant(), u.Code));
            var current = units.Where(u => u.Level == AdministrativeLevel.Commune && u.ValidTo is null).ToDictionary(u => u.Code);
            var pairs = successions
                .Where(s => legacy.ContainsKey((s.LegacyLevel, s.LegacyCode)) && current.ContainsKey(s.CurrentCode))
                .Select(s => new CommuneSuccession(legacy[(s.LegacyLevel, s.LegacyCode)], current[s.CurrentCode], s.Divided))
                .ToList();
            Successors = pairs.GroupBy(p => p.Legacy.Code).ToDictionary(g => g.Key, g => (IReadOnlyList<CommuneSuccession>)[.. g]);
            Predecessors = pairs.GroupBy(p => p.Current.Code).ToDictionary(g => g.Key, g => (IReadOnlyList<CommuneSuccession>)[.. g]);
        }

        public List<(AdministrativeUnit Unit, string Folded)> Units { get; }

        public Dictionary<(AdministrativeLevel, string), List<AdministrativeUnit>> ByCode { get; }

        public Dictionary<string, IReadOnlyList<CommuneSuccession>> Successors { get; }

        public Dictionary<string, IReadOnlyList<CommuneSuccession>> Predecessors { get; }
    }
}
