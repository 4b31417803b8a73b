using Hl7.Fhir.Model;

namespace YTeSo.Fhir.DemoData;

// Same options, same bundles. Today is the demo's "now" (default means 2026-01-01); it never comes from the clock.
internal sealed record DemoDataOptions(int Seed = 20250701, int Patients = 200, DateOnly Today = default)
{
    public static readonly DateOnly DefaultToday = new(2026, 1, 1);

    public DateOnly EffectiveToday => Today == default ? DefaultToday : Today;
}

/// <summary>
/// Synthetic, deterministic demo data for one post-reform province (Đắk Lắk, vn-standards §8): FHIR transaction
/// bundles ready to POST to the repository's base URL. Every person and number in them is made up.
/// </summary>
internal sealed class DemoDataGenerator(DemoDataOptions options)
{
    /// <summary>First the reference bundle (facilities, practitioners), then one transaction Bundle per citizen.</summary>
    public IEnumerable<Bundle> GenerateTransactionBundles()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Patients);

        var reference = DemoReferenceData.Create();
        yield return reference.ToTransaction();

        // Each citizen gets its own stream seeded from one master stream, so citizen n does not change
        // when Patients changes. new Random(int) is the seeded legacy algorithm, stable across runs.
        var master = new Random(options.Seed);
        var usedCccd = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Patients; i++)
        {
            var builder = new CitizenBundleBuilder(reference, options.Seed, i, options.EffectiveToday, new Random(master.Next()));
            yield return builder.Build(usedCccd);
        }
    }
}
