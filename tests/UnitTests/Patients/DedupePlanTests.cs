using YTeSo.Patients.Dedupe;
using YTeSo.Patients.DedupePatients;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;

namespace YTeSo.UnitTests.Patients;

/// <summary>How a batch run becomes links that respect reviewers and keep golden ids. All people are invented.</summary>
public sealed class DedupePlanTests
{
    private static readonly MatchEngine Engine = new(MatchSettings.Default, NameFrequencies.Default);

    [Fact]
    public void A_chain_of_links_across_a_refused_pair_gives_way_at_the_refused_link()
    {
        var sources = new[] { Twin("a", null, null), Twin("b", null, null), Twin("c", null, null) };

        var plan = Plan(sources, ("a", "c"));

        Assert.Equal(plan.Links["a"].GoldenId, plan.Links["b"].GoldenId);
        Assert.NotEqual(plan.Links["a"].GoldenId, plan.Links["c"].GoldenId);
        Assert.True(plan.OverruledLinks >= 1);
        Assert.DoesNotContain(plan.Reviews, r => r.PatientId == "a" && r.CandidateId == "c");
    }

    [Fact]
    public void A_reviewers_link_stays_and_keeps_the_record_it_was_linked_to()
    {
        var sources = new[]
        {
            Source("a", "Ksor H'Blơn", new(1988), PersonSex.Female, "g1", "new"),
            Source("b", "Rơ Châm H'Lan", new(1989, 5, 1), PersonSex.Female, "g1", "reviewer"),
        };

        var plan = Plan(sources);

        Assert.Equal(new PlannedLink("g1", "new", null), plan.Links["a"]);
        Assert.Equal(new PlannedLink("g1", "reviewer", null), plan.Links["b"]);
    }

    [Fact]
    public void A_cluster_takes_the_golden_id_most_of_its_members_have_and_a_second_plan_changes_nothing()
    {
        var sources = new[] { Twin("a", "g1", "new"), Twin("b", "g1", "auto"), Twin("c", "g2", "new") };

        var first = Plan(sources);
        var second = Plan([.. sources.Select(s => s with { GoldenId = first.Links[s.PatientId].GoldenId, Origin = first.Links[s.PatientId].Origin, Weight = first.Links[s.PatientId].Weight })]);

        Assert.All(first.Links.Values, l => Assert.Equal("g1", l.GoldenId));
        Assert.Equal("new", first.Links["a"].Origin);
        Assert.Equal("auto", first.Links["c"].Origin);
        Assert.Equal(first.Links, second.Links);
    }

    [Fact]
    public void Two_groups_that_want_one_golden_id_leave_it_to_the_larger()
    {
        var sources = new[]
        {
            Twin("a", "g1", "new"),
            Twin("b", "g1", "auto"),
            Source("c", "Đặng Văn Lực", new(1950, 1, 20), PersonSex.Male, "g1", "auto"),
        };

        var plan = Plan(sources);

        Assert.Equal("g1", plan.Links["a"].GoldenId);
        Assert.Equal("g1", plan.Links["b"].GoldenId);
        Assert.NotEqual("g1", plan.Links["c"].GoldenId);
        Assert.Equal("new", plan.Links["c"].Origin);
    }

    private static DedupeDecisions Plan(IReadOnlyList<DedupeSource> sources, params (string A, string B)[] refused)
    {
        var result = new BatchDeduplicator(Engine, new DedupeOptions { MaxDegreeOfParallelism = 1 }).Run([.. sources.Select(s => s.Person)]);
        return DedupePlan.Make(sources, result, Engine, refused);
    }

    /// <summary>The same person each time: name, full birth date, sex, phone and commune agree, no personal id.</summary>
    private static DedupeSource Twin(string id, string? golden, string? origin) =>
        Source(id, "Nguyễn Thị Thanh Huyền", new(1987, 3, 14), PersonSex.Female, golden, origin, phone: "0912000101", commune: "00097");

    private static DedupeSource Source(string id, string name, PartialDate birth, PersonSex sex, string? golden, string? origin, string? phone = null, string? commune = null) =>
        new(id, new PersonRecord
        {
            Key = "Patient/" + id,
            FullName = name,
            BirthDate = birth,
            Sex = sex,
            Phones = phone is null ? [] : [phone],
            Communes = commune is null ? [] : [commune],
        }, golden, origin, null);
}
