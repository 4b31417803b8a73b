using System.Globalization;
using Hl7.Fhir.Model;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Identifiers;
using YTeSo.Platform.Text;

namespace YTeSo.Patients.Matching;

/// <summary>A source Patient read for matching, with what was dropped or doubtful on the way, in sentences.</summary>
public sealed record PersonRecordReading(PersonRecord Record, IReadOnlyList<string> Problems);

/// <summary>
/// Reduces a FHIR Patient to a <see cref="PersonRecord"/> (docs/mpi.md, "Matching"). Identifiers are read by system and
/// validated; invalid ones are left out and reported. The facility is the managingOrganization's logical identifier
/// (system ma-co-so-kcb), else the facility of a single MA_BN system (<c>…/sid/ma-bn/{facility}</c>), else
/// <c>meta.source</c> when it ends in <c>ma-co-so-kcb/{code}</c> or <c>#{code}</c>; a literal Organization reference
/// is not resolved here.
/// </summary>
public static class PersonRecordReader
{
    /// <summary>The commune extension on Address the demo data writes (src/Fhir/DemoData/DemoFhirSystems.cs).</summary>
    public const string CommuneCodeExtension = "https://yteso.vn/fhir/StructureDefinition/commune-code";

    public static PersonRecord Read(Patient patient, Func<string, IReadOnlyList<string>> todaysCommunes) =>
        ReadWithProblems(patient, todaysCommunes).Record;

    public static PersonRecordReading ReadWithProblems(Patient patient, Func<string, IReadOnlyList<string>> todaysCommunes)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(todaysCommunes);
        var problems = new List<string>();
        var sex = Sex(patient.Gender);
        var birthDate = BirthDate(patient.BirthDate, problems);

        string? personalId = null, legacyId = null, bhxh = null, passport = null;
        var cards = new List<string>();
        var numbers = new List<FacilityNumber>();
        var temporary = false;
        foreach (var identifier in patient.Identifier)
        {
            if (string.IsNullOrWhiteSpace(identifier.Value))
            {
                continue;
            }

            var system = identifier.System;
            switch (system)
            {
                case IdentifierSystems.PersonalId:
                    var cccd = Cccd.Check(identifier.Value, sex, birthDate?.Year);
                    personalId ??= Keep(cccd, system, problems);
                    break;
                case IdentifierSystems.LegacyId:
                    legacyId ??= Keep(Cmnd.Check(identifier.Value), system, problems);
                    break;
                case IdentifierSystems.SocialInsurance:
                    bhxh ??= Keep(Bhxh.Check(identifier.Value), system, problems);
                    break;
                case IdentifierSystems.InsuranceCard:
                    if (Keep(Bhyt.Check(identifier.Value, WrittenOn(identifier, patient)), system, problems) is { } card)
                    {
                        if (card.Length == Bhxh.Length)
                        {
                            bhxh ??= card;
                        }
                        else if (!cards.Contains(card))
                        {
                            cards.Add(card);
                        }
                    }

                    break;
                case IdentifierSystems.Passport:
                    passport ??= Keep(PassportNumber.Check(identifier.Value), system, problems);
                    break;
                case IdentifierSystems.Temporary:
                    temporary |= Keep(TemporaryIdentifier.Check(identifier.Value), system, problems) is not null;
                    break;
                default:
                    if (IdentifierSystems.FacilityOfPatientNumberSystem(system) is { } facility
                        && Keep(FacilityPatientNumber.Check(facility, identifier.Value), system!, problems) is { } value)
                    {
                        numbers.Add(new FacilityNumber(facility, value));

                        // FHIR R4 identifier-use "temp": a patient number for a temporary identity.
                        temporary |= identifier.Use == Identifier.IdentifierUse.Temp;
                    }

                    break;
            }
        }

        var record = new PersonRecord
        {
            Key = "Patient/" + patient.Id,
            FacilityCode = Facility(patient, numbers),
            PersonalId = personalId,
            LegacyId = legacyId,
            SocialInsuranceNumber = bhxh ?? (cards.Count > 0 ? Bhyt.SocialInsuranceNumberOf(cards[0]) : null),
            InsuranceCards = cards,
            Passport = passport,
            FacilityNumbers = numbers,
            FullName = TextNormalizer.Exact(FullName(patient.Name)),
            BirthDate = birthDate,
            Sex = sex,
            Phones = Phones(patient.Telecom, problems),
            Communes = Communes(patient.Address, todaysCommunes, problems),
            BirthOrder = patient.MultipleBirth is Integer { Value: { } order } ? order : null,
            IsTemporary = temporary || ChosenName(patient.Name)?.Use == HumanName.NameUse.Temp,
        };
        return new PersonRecordReading(record, problems);
    }

    private static string? Keep(IdentifierCheck check, string system, List<string> problems)
    {
        foreach (var problem in check.Problems)
        {
            problems.Add($"{system}: {problem} The identifier was left out.");
        }

        foreach (var warning in check.Warnings)
        {
            problems.Add($"{system}: {warning}");
        }

        return check.IsValid ? check.Value : null;
    }

    /// <summary>The date a card number was written, to pick the card rules (Bhyt.TenDigitCardsFrom).</summary>
    private static DateOnly? WrittenOn(Identifier identifier, Patient patient)
    {
        if (identifier.Period?.StartElement?.TryToDateTimeOffset(out var start) == true)
        {
            return DateOnly.FromDateTime(start.UtcDateTime);
        }

        return patient.Meta?.LastUpdated is { } updated ? DateOnly.FromDateTime(updated.UtcDateTime) : null;
    }

    private static PersonSex Sex(AdministrativeGender? gender) => gender switch
    {
        AdministrativeGender.Male => PersonSex.Male,
        AdministrativeGender.Female => PersonSex.Female,
        AdministrativeGender.Other => PersonSex.Other,
        _ => PersonSex.Unknown,
    };

    /// <summary>FHIR date: "1980", "1980-05" or "1980-05-12" (R4 datatypes.html#date); partial dates stay partial.</summary>
    internal static PartialDate? BirthDate(string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value.Split('-');
        if (parts.Length is < 1 or > 3 || parts[0].Length != 4
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            problems.Add($"birthDate '{value}' is not a FHIR date; it was left out.");
            return null;
        }

        int? month = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && m is >= 1 and <= 12 ? m : null;
        int? day = month is not null && parts.Length > 2
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            && d >= 1 && d <= DateTime.DaysInMonth(year, month.Value) ? d : null;
        if ((parts.Length > 1 && month is null) || (parts.Length > 2 && day is null))
        {
            problems.Add($"birthDate '{value}' has an impossible month or day; only the part before it was kept.");
        }

        return new PartialDate(year, month, day);
    }

    /// <summary>Vietnamese order: family, then the given parts (middle names first) as FHIR HumanName.given lists them.</summary>
    private static HumanName? ChosenName(List<HumanName> names) =>
        names.FirstOrDefault(n => n.Use == HumanName.NameUse.Official)
            ?? names.FirstOrDefault(n => n.Use is null or HumanName.NameUse.Usual)
            ?? names.FirstOrDefault();

    private static string FullName(List<HumanName> names)
    {
        var name = ChosenName(names);
        if (name is null)
        {
            return "";
        }

        var parts = new List<string>(4);
        if (!string.IsNullOrWhiteSpace(name.Family))
        {
            parts.Add(name.Family.Trim());
        }

        parts.AddRange(name.Given.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g!.Trim()));
        return parts.Count > 0 ? string.Join(' ', parts) : name.Text?.Trim() ?? "";
    }

    private static List<string> Phones(List<ContactPoint> telecom, List<string> problems)
    {
        var phones = new List<string>(telecom.Count);
        foreach (var contact in telecom)
        {
            if (contact.System is not (null or ContactPoint.ContactPointSystem.Phone or ContactPoint.ContactPointSystem.Sms)
                || string.IsNullOrWhiteSpace(contact.Value))
            {
                continue;
            }

            if (PhoneNumber.Normalize(contact.Value) is { } phone)
            {
                if (!phones.Contains(phone))
                {
                    phones.Add(phone);
                }
            }
            else
            {
                problems.Add($"telecom '{contact.Value}' is not a Vietnamese phone number; it was left out.");
            }
        }

        return phones;
    }

    /// <summary>
    /// The commune-code extension on each Address (valueCode, valueString or valueCoding.code), translated to today's
    /// communes by the caller. Address.postalCode is deliberately not a fallback: Vietnamese postcodes are also 5
    /// digits [U], and reading one as a commune would match people on the wrong key without anyone noticing.
    /// </summary>
    private static List<string> Communes(List<Address> addresses, Func<string, IReadOnlyList<string>> todaysCommunes,
        List<string> problems)
    {
        var communes = new List<string>(addresses.Count);
        foreach (var address in addresses)
        {
            var code = address.GetExtension(CommuneCodeExtension)?.Value switch
            {
                Code c => c.Value,
                FhirString s => s.Value,
                Coding coding => coding.Code,
                _ => null,
            };
            if (string.IsNullOrWhiteSpace(code))
            {
                continue;
            }

            var today = todaysCommunes(code.Trim());
            if (today.Count == 0)
            {
                problems.Add($"address commune '{code}' is not a known commune code; it was left out.");
            }

            foreach (var commune in today)
            {
                if (!communes.Contains(commune))
                {
                    communes.Add(commune);
                }
            }
        }

        return communes;
    }

    private static string? Facility(Patient patient, List<FacilityNumber> numbers)
    {
        if (patient.ManagingOrganization?.Identifier is { System: IdentifierSystems.FacilityCode, Value: { } code }
            && FacilityPatientNumber.CheckFacilityCode(code) is { IsValid: true, Value: var valid })
        {
            return valid;
        }

        var facilities = numbers.Select(n => n.FacilityCode).Distinct(StringComparer.Ordinal).ToList();
        if (facilities.Count == 1)
        {
            return facilities[0];
        }

        var source = patient.Meta?.Source;
        if (string.IsNullOrEmpty(source))
        {
            return null;
        }

        var cut = Math.Max(source.LastIndexOf('/'), source.LastIndexOf('#'));
        var tail = cut >= 0 ? source[(cut + 1)..] : "";
        var looksLikeFacility = source.Contains("ma-co-so-kcb/", StringComparison.Ordinal) || source[cut] == '#';
        return cut >= 0 && looksLikeFacility && FacilityPatientNumber.CheckFacilityCode(tail) is { IsValid: true } check
            ? check.Value
            : null;
    }
}
