using Hl7.Fhir.Model;
using YTeSo.Registry.Contracts;

namespace YTeSo.Registry.Terminology.Index;

/// <summary>
/// The administrative units as terminology, answered from <see cref="IAdministrativeUnits"/> (ADR 0010) rather than
/// stored as big CodeSystem/ConceptMap resources: the Registry's tables stay the one source, and an import of the units
/// needs no second copy kept in step. So these code systems are not found by FHIR search or read, only by the operations.
/// </summary>
internal sealed class AdministrativeUnitCodes(IAdministrativeUnits units)
{
    public static bool Handles(string system) =>
        system is TerminologySystems.AdministrativeUnits or TerminologySystems.LegacyAdministrativeUnits;

    /// <summary>
    /// The unit with <paramref name="code"/>: for the current system on <paramref name="day"/> (codes are reused across
    /// the reform, vn-standards §8, so a current code is never answered with a legacy unit), for the legacy system on the
    /// day given or, without one, the last day before the reform.
    /// </summary>
    public async Task<AdministrativeUnit?> FindAsync(string system, string code, DateOnly? day, DateOnly today, CancellationToken cancellationToken)
    {
        var legacy = system == TerminologySystems.LegacyAdministrativeUnits;
        var on = day ?? (legacy ? AdministrativeReform.LastThreeTierDay : today);
        if (legacy ? on >= AdministrativeReform.TwoTierFrom : on < AdministrativeReform.TwoTierFrom)
        {
            return null;
        }

        AdministrativeLevel? level = code.Length switch
        {
            2 => AdministrativeLevel.Province,
            3 when legacy => AdministrativeLevel.District,
            5 => AdministrativeLevel.Commune,
            _ => null,
        };
        return level is null ? null : await units.FindAsync(level.Value, code, on, cancellationToken);
    }

    /// <summary>
    /// The commune(s) a legacy commune became. FHIR R4 ConceptMapEquivalence: a split commune maps to each part, a part
    /// being narrower than the whole ("narrower"); a commune merged with others into a new one maps to a target wider
    /// than itself ("wider"); one that became one new commune alone is "equivalent".
    /// </summary>
    public async Task<List<ConceptMapTarget>> TranslateAsync(string legacyCode, CancellationToken cancellationToken)
    {
        var targets = new List<ConceptMapTarget>();
        foreach (var succession in await units.SuccessorsAsync(legacyCode, cancellationToken))
        {
            var equivalence = succession.Divided ? ConceptMapEquivalence.Narrower
                : (await units.PredecessorsAsync(succession.Current.Code, cancellationToken)).Count > 1 ? ConceptMapEquivalence.Wider
                : ConceptMapEquivalence.Equivalent;
            var comment = succession.Divided ? $"{succession.Legacy.Name} was divided; this is one of its parts." : null;
            targets.Add(new ConceptMapTarget(TerminologySystems.AdministrativeUnits, succession.Current.Code, succession.Current.Name, equivalence, comment));
        }

        return targets;
    }
}
