using YTeSo.Patients.Domain.Identifiers;
using YTeSo.Patients.Domain.Names;

namespace YTeSo.Patients.Domain.Matching;

/// <summary>
/// A <see cref="PersonRecord"/> with everything the comparisons need computed once (name tokens folded, BHXH numbers
/// gathered from the cards), so comparing it with hundreds of candidates allocates nothing per field.
/// </summary>
public sealed class PreparedPerson
{
    internal PreparedPerson(PersonRecord record)
    {
        Record = record;
        Name = PersonName.Parse(record.FullName);
        var bhxh = new List<string>(1 + record.InsuranceCards.Count);
        if (record.SocialInsuranceNumber is { Length: > 0 } number)
        {
            bhxh.Add(number);
        }

        foreach (var card in record.InsuranceCards)
        {
            var part = Bhyt.SocialInsuranceNumberOf(card);
            if (!bhxh.Contains(part))
            {
                bhxh.Add(part);
            }
        }

        Bhxh = [.. bhxh];
    }

    public PersonRecord Record { get; }

    internal PersonName Name { get; }

    internal string[] Bhxh { get; }
}
