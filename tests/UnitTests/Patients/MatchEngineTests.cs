using System.Text.Json;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;

namespace YTeSo.UnitTests.Patients;

/// <summary>Grades of clear cases. All people are invented.</summary>
public sealed class MatchEngineTests
{
    private static readonly MatchEngine Engine = new(MatchSettings.Default, NameFrequencies.Default);

    private static PersonRecord Person(string key, string name, PartialDate? birth, PersonSex sex = PersonSex.Male,
        string? personalId = null, string[]? phones = null, string[]? communes = null, int? birthOrder = null,
        bool temporary = false, string? bhxh = null) => new()
        {
            Key = "Patient/" + key,
            FullName = name,
            BirthDate = birth,
            Sex = sex,
            PersonalId = personalId,
            SocialInsuranceNumber = bhxh,
            Phones = phones ?? [],
            Communes = communes ?? [],
            BirthOrder = birthOrder,
            IsTemporary = temporary,
        };

    [Fact]
    public void The_same_person_typed_with_typos_and_without_marks_is_a_match()
    {
        var a = Person("a", "Nguyễn Thị Thanh Huyền", new(1987, 3, 14), PersonSex.Female, phones: ["0912000101"],
            communes: ["00097"]);
        var b = Person("b", "Nguyen Thi Thanh Huyen", new(1987, 3, 14), PersonSex.Female, phones: ["0912000101"],
            communes: ["00097"]);
        var c = Person("c", "Ngyuen Thị Thanh Huyền", new(1987, 3, 14), PersonSex.Female, communes: ["00097"]);

        Assert.Equal(MatchGrade.Match, Engine.Compare(a, b).Grade);
        Assert.Equal(MatchGrade.Match, Engine.Compare(a, c).Grade);
    }

    [Fact]
    public void Exact_with_marks_scores_higher_than_equal_without_marks()
    {
        var a = Person("a", "Nguyễn Văn An", new(1990, 1, 2));
        var marked = Engine.Compare(a, Person("b", "Nguyễn Văn An", new(1990, 1, 2)));
        var unmarked = Engine.Compare(a, Person("c", "Nguyen Van An", new(1990, 1, 2)));

        Assert.True(marked.Weight > unmarked.Weight);
        Assert.True(Weight(marked, "givenName") >= Weight(unmarked, "givenName"));
        Assert.True(Weight(marked, "familyName") > Weight(unmarked, "familyName"));
    }

    [Fact]
    public void Agreement_on_a_rare_given_name_weighs_more_than_on_a_common_one()
    {
        var common = Engine.Compare(Person("a", "Nguyễn Văn Anh", null), Person("b", "Nguyễn Văn Anh", null));
        var rare = Engine.Compare(Person("a", "Nguyễn Văn Khuê", null), Person("b", "Nguyễn Văn Khuê", null));

        Assert.True(Weight(rare, "givenName") > Weight(common, "givenName") + 2);
    }

    [Fact]
    public void Twins_who_share_everything_but_the_given_name_are_not_a_match()
    {
        var a = Person("a", "Trần Văn Phúc", new(2015, 6, 1), phones: ["0912000202"], communes: ["00100"]);
        var b = Person("b", "Trần Văn Lộc", new(2015, 6, 1), phones: ["0912000202"], communes: ["00100"]);

        var result = Engine.Compare(a, b);

        Assert.NotEqual(MatchGrade.Match, result.Grade);
    }

    [Fact]
    public void Twins_with_different_birth_orders_are_no_match()
    {
        var a = Person("a", "Trần Thị Mai", new(2015, 6, 1), PersonSex.Female, communes: ["00100"], birthOrder: 1);
        var b = Person("b", "Trần Thị Mai", new(2015, 6, 1), PersonSex.Female, communes: ["00100"], birthOrder: 2);

        var result = Engine.Compare(a, b);

        Assert.Equal((MatchGrade.NoMatch, "different-birth-order"), (result.Grade, result.Rule));
    }

    [Fact]
    public void A_parent_and_child_with_the_same_phone_and_address_are_no_match()
    {
        var parent = Person("a", "Lê Văn Sơn", new(1975, 2, 3), phones: ["0912000303"], communes: ["00100"]);
        var child = Person("b", "Lê Văn Hải", new(2005, 9, 9), phones: ["0912000303"], communes: ["00100"]);

        Assert.Equal(MatchGrade.NoMatch, Engine.Compare(parent, child).Grade);
    }

    [Fact]
    public void A_son_named_after_his_father_is_not_a_match()
    {
        var father = Person("a", "Thái Văn Việt", new(1984, 10, 23), phones: ["0912000909"], communes: ["00100"]);
        var son = Person("b", "Thái Văn Việt", new(2012, 7, 15), phones: ["0912000909"], communes: ["00100"]);

        Assert.NotEqual(MatchGrade.Match, Engine.Compare(father, son).Grade);
    }

    [Fact]
    public void The_same_CCCD_with_swapped_name_order_and_no_middle_name_is_a_match()
    {
        var a = Person("a", "Nam Hoàng", new(2007, 4, 22), personalId: "074207000135");
        var b = Person("b", "Hoàng Đức Nam", new(2007, 4, 22), personalId: "074207000135");

        Assert.Equal(MatchGrade.Match, Engine.Compare(a, b).Grade);
    }

    [Fact]
    public void The_same_CCCD_with_a_different_sex_is_possible_with_a_conflict()
    {
        var a = Person("a", "Phạm Minh Châu", new(1992, 4, 4), PersonSex.Male, personalId: "001092000456");
        var b = Person("b", "Phạm Minh Châu", new(1992, 4, 4), PersonSex.Female, personalId: "001092000456");

        var result = Engine.Compare(a, b);

        Assert.Equal((MatchGrade.Possible, "same-personal-id"), (result.Grade, result.Rule));
        Assert.Contains("different sex", result.Conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_CCCD_with_little_else_is_a_match()
    {
        var a = Person("a", "Phạm Minh Châu", null, personalId: "001092000456");
        var b = Person("b", "Pham Minh Chau", new(1992, 4, 4), personalId: "001092000456");

        var result = Engine.Compare(a, b);

        Assert.Equal((MatchGrade.Match, "same-personal-id"), (result.Grade, result.Rule));
    }

    [Fact]
    public void The_same_CCCD_with_a_mistyped_given_name_is_still_a_match()
    {
        var a = Person("a", "Lê Quang Hiếu", new(2005, 4, 27), personalId: "077205000612");
        var b = Person("b", "Lê Quang Hiru", new(2005, 4, 27), personalId: "077205000612");

        Assert.Equal(MatchGrade.Match, Engine.Compare(a, b).Grade);
    }

    [Fact]
    public void The_same_CCCD_with_a_wholly_different_name_is_possible_with_a_conflict()
    {
        var a = Person("a", "Lê Quang Hiếu", new(2005, 4, 27), personalId: "077205000612");
        var b = Person("b", "Đào Thị Hồng", new(2005, 4, 27), personalId: "077205000612");

        var result = Engine.Compare(a, b);

        Assert.Equal(MatchGrade.Possible, result.Grade);
        Assert.Contains("clearly different name", result.Conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_CCCD_with_the_name_typed_in_another_order_and_a_slip_is_a_match()
    {
        // Western order plus a typo: no part compares in place, but two of three words are shared.
        var a = Person("a", "Nguyễn Quốc Sơn", new(1983, 11, 19), personalId: "079083000332");
        var b = Person("b", "Sn Nguyễn Quốc", new(1983, 11, 19), personalId: "079083000332");

        var result = Engine.Compare(a, b);

        Assert.Equal(MatchGrade.Match, result.Grade);
        Assert.Null(result.Conflict);
    }

    [Fact]
    public void A_nickname_in_place_of_the_given_name_is_at_most_possible_without_a_shared_number()
    {
        var a = Person("a", "Trần Văn Tuấn", new(2019, 2, 2), phones: ["0912000808"], communes: ["00100"]);
        var b = Person("b", "Trần Văn Tí", new(2019, 2, 2), phones: ["0912000808"], communes: ["00100"]);

        var result = Engine.Compare(a, b);

        Assert.Equal((MatchGrade.Possible, "different-given-name"), (result.Grade, result.Rule));
        Assert.Equal("nickname", result.Fields.Single(f => f.Field == "givenName").Level);
    }

    [Fact]
    public void Two_different_CCCDs_are_no_match_however_alike_the_rest()
    {
        var a = Person("a", "Phạm Minh Châu", new(1992, 4, 4), personalId: "001092000456", phones: ["0912000404"]);
        var b = Person("b", "Phạm Minh Châu", new(1992, 4, 4), personalId: "001092000457", phones: ["0912000404"]);

        var result = Engine.Compare(a, b);

        Assert.Equal((MatchGrade.NoMatch, "different-personal-id"), (result.Grade, result.Rule));
    }

    [Fact]
    public void A_temporary_record_is_at_most_possible()
    {
        var a = Person("a", "Đoàn Thị Lụa", new(1960, 7, 7), PersonSex.Female, phones: ["0912000505"], communes: ["00100"]);
        var b = a with { Key = "Patient/b", IsTemporary = true };

        var result = Engine.Compare(a, b);

        Assert.Equal((MatchGrade.Possible, "temporary-record"), (result.Grade, result.Rule));
    }

    [Fact]
    public void Different_people_with_common_names_are_no_match()
    {
        var a = Person("a", "Nguyễn Văn Hùng", new(1970, 1, 5), communes: ["00100"]);
        var b = Person("b", "Nguyễn Văn Hùng", new(1988, 11, 20), communes: ["00205"]);

        Assert.Equal(MatchGrade.NoMatch, Engine.Compare(a, b).Grade);
    }

    [Fact]
    public void The_field_rows_add_up_to_the_weight_and_use_the_review_names()
    {
        var result = Engine.Compare(Person("a", "Võ Thị Hồng", new(1999, 9, 9), PersonSex.Female, bhxh: "0123400001"),
            Person("b", "Vũ Thị Hồng", new(1999, 9, 9), PersonSex.Female, bhxh: "0123400001"));

        Assert.Equal(result.Weight, result.Fields.Sum(f => f.Weight), 9);
        Assert.Equal("variant", result.Fields.Single(f => f.Field == "familyName").Level);
        Assert.Equal("equal", result.Fields.Single(f => f.Field == "bhxh").Level);
        Assert.Contains(result.Fields, f => f is { Field: "birthDate", Level: "exact" });
    }

    [Fact]
    public void True_duplicates_share_a_blocking_key_despite_typos_year_only_dates_and_moves()
    {
        var a = Person("a", "Hoàng Thị Thuý", new(1984, 10, 2), PersonSex.Female, phones: ["0912000606"], communes: ["00100"]);
        var moved = Person("b", "Huỳnh Thị Thúy", new(1984), PersonSex.Female, phones: ["0987000606"], communes: ["26734"]);
        var typo = Person("c", "Hoang Thi Thuy", new(1984, 10, 2), PersonSex.Female, communes: ["26734"]);

        var keys = Engine.BlockingKeys(a);

        Assert.NotEmpty(keys.Intersect(Engine.BlockingKeys(moved)));
        Assert.NotEmpty(keys.Intersect(Engine.BlockingKeys(typo)));
        Assert.All(keys, k => Assert.True(k.Length <= 40, k));
    }

    [Fact]
    public void Settings_round_trip_through_json()
    {
        var json = JsonSerializer.Serialize(MatchSettings.Default);

        var back = JsonSerializer.Deserialize<MatchSettings>(json)!;

        Assert.Equal(MatchSettings.Default.MatchThreshold, back.MatchThreshold);
        Assert.Equal(MatchSettings.Default.Fields["givenName"]["exact"], back.Fields["givenName"]["exact"]);
        var a = Person("a", "Võ Thị Hồng", new(1999, 9, 9));
        Assert.Equal(Engine.Compare(a, a).Weight, new MatchEngine(back, NameFrequencies.Default).Compare(a, a).Weight, 9);
    }

    private static double Weight(MatchResult result, string field) => result.Fields.Single(f => f.Field == field).Weight;
}
