using System.Globalization;

using Hl7.Fhir.Model;

using YTeSo.Patients.Domain.Identifiers;
using YTeSo.Patients.Matching;

namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>Turns a (possibly distorted) record of a person into the FHIR R4 Patient a facility would send.</summary>
internal static class PatientWriter
{
    public static Patient Write(string id, SyntheticPerson person, Facility facility, string maBn, Random random, string text, string? family, string[]? given, Distortion d)
    {
        var temporary = d.HasFlag(Distortion.NewbornTemporary);
        var patient = new Patient
        {
            Id = id,

            // v3-ActReason HTEST ("test health data"): a deployment can find and purge synthetic records.
            Meta = new Meta { Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HTEST", "test health data")] },
            Active = true,
            Name = [new HumanName { Use = temporary ? HumanName.NameUse.Temp : HumanName.NameUse.Official, Text = text, Family = family, Given = given ?? [] }],
            Gender = person.Female ? AdministrativeGender.Female : AdministrativeGender.Male,
            BirthDate = BirthDate(person.BirthDate, d),
            ManagingOrganization = new ResourceReference { Identifier = new Identifier(IdentifierSystems.FacilityCode, facility.Code), Display = facility.Name },
        };
        patient.Identifier.Add(new Identifier(IdentifierSystems.FacilityPatientNumber(facility.Code), maBn) { Use = Identifier.IdentifierUse.Usual });
        if (temporary)
        {
            patient.Identifier.Add(new Identifier(IdentifierSystems.Temporary, TemporaryIdentifier.Create(TemporaryKind.Newborn, facility.Code, maBn)) { Use = Identifier.IdentifierUse.Temp });
        }
        else
        {
            if (!d.HasFlag(Distortion.MissingCccd))
            {
                patient.Identifier.Add(new Identifier(IdentifierSystems.PersonalId, person.PersonalId) { Use = Identifier.IdentifierUse.Official });
            }

            var card = d.HasFlag(Distortion.RenewedBhytCard) ? person.PreviousCard : person.Card;
            if (card is not null)
            {
                patient.Identifier.Add(new Identifier(IdentifierSystems.InsuranceCard, card.Number)
                {
                    Period = new Period(new FhirDateTime(card.Year, 1, 1), new FhirDateTime(card.Year, 12, 31)),
                });
            }
            else if (random.Chance(0.3))
            {
                patient.Identifier.Add(new Identifier(IdentifierSystems.SocialInsurance, person.Bhxh));
            }

            if (person.BirthOrder is { } order && facility.Kind == FacilityKind.Hospital)
            {
                patient.MultipleBirth = new Integer(order);
            }
        }

        var phone = d.HasFlag(Distortion.ChangedPhone) ? person.OtherPhone : person.Phone;
        if (phone is not null && (temporary || random.Chance(0.9)))
        {
            patient.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, SyntheticIdentifiers.AsWritten(random, phone))];
        }

        // vn-standards §8: a record written before the reform, or by a system not yet updated, still carries the old code.
        var legacy = d.HasFlag(Distortion.LegacyCommune);
        var address = new Address
        {
            Use = Address.AddressUse.Home,
            Line = [person.AddressLine],
            City = legacy ? person.Commune.Name : null,
            Country = "VN",
        };
        address.Extension.Add(new Extension(PersonRecordReader.CommuneCodeExtension, new Code(legacy ? person.Commune.Code : person.CurrentCommune)));
        patient.Address = [address];
        return patient;
    }

    /// <summary>MoH formats write unknown parts as zeros; FHIR simply leaves them out ("1948").</summary>
    private static string BirthDate(DateOnly date, Distortion d) =>
        d.HasFlag(Distortion.YearOnlyBirthDate) ? date.Year.ToString("D4", CultureInfo.InvariantCulture)
        : d.HasFlag(Distortion.DayMonthSwapped) ? new DateOnly(date.Year, date.Day, date.Month).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
