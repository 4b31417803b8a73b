using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;

namespace YTeSo.UnitTests.Patients;

public sealed class EmEstimatorTests
{
    private static readonly string[] Families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"];
    private static readonly string[] Givens =
        ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Lan", "Minh", "Nga", "Oanh", "Phúc", "Quân", "Sơn", "Tâm", "Vy"];

    /// <summary>
    /// Pairs of known truth: 300 true pairs whose phone agrees 70 % of the time (else changed) and 2,700 random pairs
    /// whose phone never agrees. Starting from a wrong guess (m = 0.3, u = 0.2), EM must move towards m ≈ 0.7, u ≈ 0.
    /// </summary>
    [Fact]
    public void The_estimate_moves_towards_the_true_m_and_u()
    {
        var random = new Random(20261202);
        var people = Enumerable.Range(0, 3000).Select(i => Invent(i, random)).ToList();
        var pairs = new List<(PersonRecord, PersonRecord)>();
        for (var i = 0; i < 300; i++)
        {
            var person = people[i];
            var copy = person with
            {
                Key = person.Key + "-dup",
                Phones = random.NextDouble() < 0.7 ? person.Phones : [$"09{random.Next(10_000_000, 99_999_999)}"],
            };
            pairs.Add((person, copy));
        }

        for (var i = 300; i < 3000; i++)
        {
            pairs.Add((people[i], people[(i * 7 + 13) % 3000]));
        }

        var start = MatchSettings.Default with
        {
            Prior = 0.5,
            Fields = new Dictionary<string, IReadOnlyDictionary<string, MatchProbabilities>>(MatchSettings.Default.Fields)
            {
                ["phone"] = new Dictionary<string, MatchProbabilities>
                {
                    ["equal"] = new(0.3, 0.2),
                    ["different"] = new(0.7, 0.8),
                },
            },
        };

        var estimate = EmEstimator.Estimate(start, pairs);

        var phone = estimate.Fields["phone"]["equal"];
        Assert.InRange(phone.M, 0.6, 0.8);
        Assert.True(phone.U < 0.05, $"u = {phone.U}");
        Assert.InRange(estimate.Prior, 0.08, 0.12);
        Assert.True(estimate.Fields["birthDate"]["exact"].M > 0.9);
    }

    [Fact]
    public void No_pairs_leave_the_settings_unchanged() =>
        Assert.Same(MatchSettings.Default, EmEstimator.Estimate(MatchSettings.Default, []));

    private static PersonRecord Invent(int i, Random random) => new()
    {
        Key = $"Patient/{i}",
        FullName = $"{Families[random.Next(Families.Length)]} Văn {Givens[random.Next(Givens.Length)]}",
        BirthDate = new PartialDate(random.Next(1940, 2020), random.Next(1, 13), random.Next(1, 29)),
        Sex = random.Next(2) == 0 ? PersonSex.Male : PersonSex.Female,
        Phones = [$"09{random.Next(10_000_000, 99_999_999)}"],
        Communes = [$"{random.Next(100, 200):D5}"],
    };
}
