using System.Globalization;

namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>
/// Makes one household at a time: a single adult, an elderly couple, parents with children, or three generations.
/// Members share the address and the husband's surname passes to the children (Vietnamese wives keep their own),
/// which is what makes families hard non-matches; twins and a son named after his father are made on purpose.
/// </summary>
internal sealed class HouseholdFactory(PopulationOptions options, CommuneCatalogue communes)
{
    private readonly PopulationOptions _options = options;
    private readonly CommuneCatalogue _communes = communes;
    private static readonly string[] Streets = ["Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt", "Điện Biên Phủ", "Cách Mạng Tháng Tám", "Võ Văn Tần", "Phan Đình Phùng", "Nguyễn Trãi", "Quang Trung", "Lê Duẩn"];

    private readonly Region _home = options.Province switch
    {
        var p when string.CompareOrdinal(p, "37") <= 0 => Region.North,
        var p when string.CompareOrdinal(p, "68") <= 0 => Region.Centre,
        _ => Region.South,
    };

    private long _nextPerson;

    /// <summary>The members of household <paramref name="index"/>; people are numbered across households in order.</summary>
    public List<SyntheticPerson> Make(long index)
    {
        var random = new Random(RandomExtensions.Derive(_options.Seed, index));
        var household = new Household(this, random, string.Create(CultureInfo.InvariantCulture, $"H{index}"));
        var roll = random.NextDouble();
        if (roll < 0.15)
        {
            household.Adult(random.Next(18, 90), random.Chance(0.5), null);
        }
        else if (roll < 0.25)
        {
            var husband = household.Adult(random.Next(60, 90), false, null);
            household.Adult(husband.AgeOn(_options.Today) - random.Next(-2, 8), true, null);
        }
        else
        {
            Family(household, random, threeGenerations: roll >= 0.80);
        }

        return household.Members;
    }

    private void Family(Household household, Random random, bool threeGenerations)
    {
        var husbandAge = random.Next(22, 62);
        var husband = household.Adult(husbandAge, false, null);
        var wife = household.Adult(Math.Max(18, husbandAge - random.Next(-2, 8)), true, null);
        if (threeGenerations)
        {
            var grandfatherAge = husbandAge + random.Next(22, 35);
            household.Adult(grandfatherAge, false, husband.Family);
            household.Adult(grandfatherAge - random.Next(-2, 8), true, null);
        }

        var children = random.PickWeighted([0, 1, 2, 2, 2, 3, 3, 4], _ => 1.0);
        var motherBirth = wife.BirthDate;
        var sonNamedAfterFather = random.Chance(0.03);
        for (var i = 0; i < children; i++)
        {
            var birth = motherBirth.AddYears(random.Next(19, 40)).AddDays(random.Next(365));
            if (birth > _options.Today)
            {
                continue;
            }

            var female = random.Chance(0.49);
            var namesake = !female && sonNamedAfterFather;
            var child = namesake
                ? household.Child(birth, female, husband, wife, husband.Middle, husband.Given)
                : household.Child(birth, female, husband, wife, null, null);
            if (namesake)
            {
                sonNamedAfterFather = false;
                child.Relation = husband.Relation = PersonRelation.Namesake;
                child.RelatedPersonId = husband.Id;
                husband.RelatedPersonId = child.Id;
            }

            // About 2% of births in Vietnam are multiple; a quarter of twin pairs here are of different sex.
            if (random.Chance(0.02))
            {
                var sex = random.Chance(0.25) ? !child.Female : child.Female;
                var twin = household.Child(birth, sex, husband, wife, sex == child.Female ? child.Middle : null, NameTables.GivenName(random, sex, child.Given));
                child.Relation = twin.Relation = PersonRelation.Twin;
                child.RelatedPersonId = twin.Id;
                twin.RelatedPersonId = child.Id;
                (child.BirthOrder, twin.BirthOrder) = (1, 2);
            }
        }
    }

    private sealed class Household(HouseholdFactory factory, Random random, string id)
    {
        private readonly LegacyCommune _commune = random.Pick(factory._communes.Legacy);
        private readonly Region _region = random.Chance(0.8) ? factory._home : (Region)random.Next(3);
        private string? _current;
        private string? _line;

        public List<SyntheticPerson> Members { get; } = [];

        public SyntheticPerson Adult(int age, bool female, string? family)
        {
            var today = factory._options.Today;
            var birth = today.AddYears(-age).AddDays(-random.Next(365));
            family ??= NameTables.FamilyName(random, _region);
            var phone = age < 75 || random.Chance(0.5) ? SyntheticIdentifiers.MobilePhone(random) : null;
            return Add(birth, female, family, null, null, phone, phone is null ? null : SyntheticIdentifiers.MobilePhone(random), null);
        }

        public SyntheticPerson Child(DateOnly birth, bool female, SyntheticPerson father, SyntheticPerson mother, string? middle, string? given)
        {
            // A child has no phone of their own: facilities write down a parent's, usually the mother's.
            var (phone, other) = random.Chance(0.7) ? (mother.Phone, father.Phone) : (father.Phone, mother.Phone);
            if (birth.Year < factory._options.Today.Year - 17 && random.Chance(0.9))
            {
                (phone, other) = (SyntheticIdentifiers.MobilePhone(random), phone);
            }

            return Add(birth, female, father.Family, middle, given, phone, other, mother.FullName);
        }

        private SyntheticPerson Add(DateOnly birth, bool female, string family, string? middle, string? given, string? phone, string? otherPhone, string? mother)
        {
            var options = factory._options;
            var number = factory._nextPerson++;
            _current ??= random.Pick(_commune.Successors);
            _line ??= _commune.Name.StartsWith("Phường", StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture, $"Số {random.Next(1, 400)} {random.Pick(Streets)}")
                : string.Create(CultureInfo.InvariantCulture, $"{(_region == Region.South ? "Ấp" : "Thôn")} {random.Next(1, 15)}");
            middle ??= NameTables.MiddleName(random, female, birth.Year, _region);
            given ??= NameTables.GivenName(random, female, middle);

            // vn-standards §4.2: the CCCD prefix is where the birth was registered, usually the home (old) province.
            var birthProvince = random.Chance(0.85) ? _commune.LegacyProvinceCode : random.Pick(SyntheticIdentifiers.OtherBirthProvinces);
            var bhxh = SyntheticIdentifiers.Bhxh(_commune.LegacyProvinceCode, number, options.Seed);
            var person = new SyntheticPerson
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"P{number}"),
                HouseholdId = id,
                Family = family,
                Middle = middle,
                Given = given,
                Female = female,
                BirthDate = birth,
                PersonalId = SyntheticIdentifiers.Cccd(birthProvince, female, birth.Year, number, options.Seed),
                Bhxh = bhxh,
                Phone = phone,
                OtherPhone = otherPhone,
                Commune = _commune,
                CurrentCommune = _current,
                AddressLine = _line,
                MotherName = mother,
            };
            var age = person.AgeOn(options.Today);
            if (age < 6 || random.Chance(0.9))
            {
                var (group, level) = SyntheticIdentifiers.BhytGroup(random, age);
                var (previous, previousLevel) = SyntheticIdentifiers.PreviousGroup(random, age, group);
                person.Card = new BhytCard(group, level, _commune.LegacyProvinceCode, bhxh, options.Today.Year);
                person.PreviousCard = age >= 1 ? new BhytCard(previous, previousLevel, _commune.LegacyProvinceCode, bhxh, options.Today.Year - 1) : null;
            }

            Members.Add(person);
            return person;
        }
    }
}
