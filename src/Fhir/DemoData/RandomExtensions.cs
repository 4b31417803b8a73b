namespace YTeSo.Fhir.DemoData;

internal static class RandomExtensions
{
    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static T PickWeighted<T>(this Random random, IReadOnlyList<(T Value, double Weight)> items)
    {
        var total = items.Sum(i => i.Weight);
        var roll = random.NextDouble() * total;
        foreach (var (value, weight) in items)
        {
            roll -= weight;
            if (roll < 0)
            {
                return value;
            }
        }

        return items[^1].Value;
    }

    /// <summary>Box–Muller; enough for plausible vital signs.</summary>
    public static double Normal(this Random random, double mean, double standardDeviation)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + (standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    public static string Digits(this Random random, int count) =>
        string.Create(count, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + r.Next(10));
            }
        });
}
