namespace YTeSo.Patients.Domain.Matching;

/// <summary>
/// Expectation-maximisation of the Fellegi-Sunter parameters (Winkler 1988; Jaro 1989) from unlabelled candidate
/// pairs: m and u of every field level and the prior share of matches, under conditional independence of the fields.
/// Name frequencies are not estimated here: the engine scales the estimated average u by each name's share.
/// </summary>
public static class EmEstimator
{
    private const int Fields = MatchNames.FieldCount;
    private const int Levels = MatchNames.LevelCount;

    /// <summary>Stop when no probability moves by more than this between iterations.</summary>
    private const double Tolerance = 1e-6;

    /// <summary>Pseudo-count added to every level, so a level never seen keeps a small, finite weight.</summary>
    private const double Smoothing = 0.5;

    public static MatchSettings Estimate(MatchSettings start, IEnumerable<(PersonRecord A, PersonRecord B)> candidatePairs,
        int maxIterations = 50)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(candidatePairs);

        // Each pair reduced to its level vector once; the iterations then only count.
        var vectors = new List<byte[]>();
        Span<MatchLevel> levels = stackalloc MatchLevel[Fields];
        foreach (var (a, b) in candidatePairs)
        {
            MatchEngine.Levels(MatchEngine.Prepare(a), MatchEngine.Prepare(b), levels);
            var vector = new byte[Fields];
            for (var f = 0; f < Fields; f++)
            {
                vector[f] = (byte)levels[f];
            }

            vectors.Add(vector);
        }

        if (vectors.Count == 0)
        {
            return start;
        }

        var m = new double[Fields * Levels];
        var u = new double[Fields * Levels];
        foreach (var (fieldName, fieldLevels) in start.Fields)
        {
            if (MatchNames.Field(fieldName) is not { } field)
            {
                continue;
            }

            foreach (var (levelName, p) in fieldLevels)
            {
                if (MatchNames.Level(levelName) is { } level)
                {
                    m[Index(field, level)] = p.M;
                    u[Index(field, level)] = p.U;
                }
            }
        }

        Normalize(m);
        Normalize(u);
        var prior = Math.Clamp(start.Prior, 1e-6, 0.999);
        var mCounts = new double[Fields * Levels];
        var uCounts = new double[Fields * Levels];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Clear(mCounts);
            Array.Clear(uCounts);
            var matches = 0.0;
            var logPriorOdds = Math.Log(prior / (1 - prior));
            foreach (var vector in vectors)
            {
                var logRatio = logPriorOdds;
                for (var f = 0; f < Fields; f++)
                {
                    if (MatchNames.IsScored((MatchLevel)vector[f]))
                    {
                        var i = (f * Levels) + vector[f];
                        logRatio += Math.Log(m[i] / u[i]);
                    }
                }

                var g = 1 / (1 + Math.Exp(-Math.Clamp(logRatio, -700, 700)));
                matches += g;
                for (var f = 0; f < Fields; f++)
                {
                    if (MatchNames.IsScored((MatchLevel)vector[f]))
                    {
                        var i = (f * Levels) + vector[f];
                        mCounts[i] += g;
                        uCounts[i] += 1 - g;
                    }
                }
            }

            var change = Update(m, mCounts) + Update(u, uCounts);
            var newPrior = Math.Clamp(matches / vectors.Count, 1e-9, 1 - 1e-9);
            change += Math.Abs(newPrior - prior);
            prior = newPrior;
            if (change < Tolerance)
            {
                break;
            }
        }

        return start with { Prior = prior, Fields = ToSettings(m, u) };
    }

    /// <summary>Each field's levels as probabilities summing to 1 (smoothed); returns the largest change.</summary>
    private static double Update(double[] probabilities, double[] counts)
    {
        var change = 0.0;
        for (var f = 0; f < Fields; f++)
        {
            var possible = MatchNames.LevelsOf[f];
            var total = 0.0;
            foreach (var level in possible)
            {
                total += counts[(f * Levels) + (int)level] + Smoothing;
            }

            foreach (var level in possible)
            {
                var i = (f * Levels) + (int)level;
                var value = (counts[i] + Smoothing) / total;
                change = Math.Max(change, Math.Abs(value - probabilities[i]));
                probabilities[i] = value;
            }
        }

        return change;
    }

    private static void Normalize(double[] probabilities)
    {
        for (var f = 0; f < Fields; f++)
        {
            var possible = MatchNames.LevelsOf[f];
            var total = 0.0;
            foreach (var level in possible)
            {
                total += probabilities[(f * Levels) + (int)level] = Math.Max(probabilities[(f * Levels) + (int)level], 1e-9);
            }

            foreach (var level in possible)
            {
                probabilities[(f * Levels) + (int)level] /= total;
            }
        }
    }

    private static Dictionary<string, IReadOnlyDictionary<string, MatchProbabilities>> ToSettings(double[] m, double[] u)
    {
        var fields = new Dictionary<string, IReadOnlyDictionary<string, MatchProbabilities>>(StringComparer.Ordinal);
        for (var f = 0; f < Fields; f++)
        {
            var levels = new Dictionary<string, MatchProbabilities>(StringComparer.Ordinal);
            foreach (var level in MatchNames.LevelsOf[f])
            {
                var i = (f * Levels) + (int)level;
                levels[MatchNames.Name(level)] = new MatchProbabilities(m[i], u[i]);
            }

            fields[MatchNames.Name((MatchField)f)] = levels;
        }

        return fields;
    }

    private static int Index(MatchField field, MatchLevel level) => ((int)field * Levels) + (int)level;
}
