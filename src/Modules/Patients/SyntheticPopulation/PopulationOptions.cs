namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>What to generate. The same options always give the same records, whatever the machine.</summary>
internal sealed record PopulationOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>How many distinct people (the records are more: see <see cref="DuplicateRate"/>).</summary>
    public int People { get; init; } = 100;

    /// <summary>The share of people who were registered more than once (at another facility, or again at the same one).</summary>
    public double DuplicateRate { get; init; } = 0.3;

    /// <summary>
    /// A folder with the published administrative-unit lists (communes-2025-with-location.csv,
    /// legacy-to-2025-communes.csv); without it a small invented province is used.
    /// </summary>
    public string? AdminUnitsFolder { get; init; }

    /// <summary>Today's province (2-digit code) the population lives in; Hồ Chí Minh (79) merged three old provinces.</summary>
    public string Province { get; init; } = "79";

    /// <summary>The day the population is seen on: ages, newborns and card periods are counted from it.</summary>
    public DateOnly Today { get; init; } = new(2026, 7, 1);
}
