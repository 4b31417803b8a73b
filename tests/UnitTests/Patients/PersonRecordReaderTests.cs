using Hl7.Fhir.Model;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Identifiers;
using YTeSo.Patients.Matching;

namespace YTeSo.UnitTests.Patients;

public sealed class PersonRecordReaderTests
{
    private static readonly Func<string, IReadOnlyList<string>> Communes =
        code => code switch
        {
            "00001" => ["00097"],
            "00097" => ["00097"],
            "09999" => ["00100", "00103"],
            _ => [],
        };

    private static Patient Sample()
    {
        var patient = new Patient
        {
            Id = "p1",
            Gender = AdministrativeGender.Female,
            BirthDate = "1987-03",
            MultipleBirth = new Integer(2),
            ManagingOrganization = new ResourceReference
            {
                Identifier = new Identifier(IdentifierSystems.FacilityCode, "01001"),
            },
        };
        patient.Identifier.Add(new Identifier(IdentifierSystems.PersonalId, "001 187 000 321"));
        patient.Identifier.Add(new Identifier(IdentifierSystems.InsuranceCard, "dn4010123400021"));
        patient.Identifier.Add(new Identifier(IdentifierSystems.FacilityPatientNumber("01001"), "BN-77"));
        patient.Identifier.Add(new Identifier(IdentifierSystems.LegacyId, "12345"));
        patient.Name.Add(new HumanName { Family = "Nguyễn", Given = ["Thị", "Hoà"], Use = HumanName.NameUse.Official });
        patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "+84 912 000 707"));
        patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "a@example.org"));
        var address = new Address { City = "Hà Nội" };
        address.Extension.Add(new Extension(PersonRecordReader.CommuneCodeExtension, new Code("00001")));
        patient.Address.Add(address);
        return patient;
    }

    [Fact]
    public void A_patient_is_read_into_its_identifying_fields()
    {
        var record = PersonRecordReader.Read(Sample(), Communes);

        Assert.Equal("Patient/p1", record.Key);
        Assert.Equal("01001", record.FacilityCode);
        Assert.Equal("001187000321", record.PersonalId);
        Assert.Equal(["DN4010123400021"], record.InsuranceCards);
        Assert.Equal("0123400021", record.SocialInsuranceNumber);
        Assert.Equal([new FacilityNumber("01001", "BN-77")], record.FacilityNumbers);
        Assert.Equal("Nguyễn Thị Hoà", record.FullName);
        Assert.Equal(new PartialDate(1987, 3), record.BirthDate);
        Assert.Equal(PersonSex.Female, record.Sex);
        Assert.Equal(["0912000707"], record.Phones);
        Assert.Equal(["00097"], record.Communes);
        Assert.Equal(2, record.BirthOrder);
        Assert.False(record.IsTemporary);
    }

    [Fact]
    public void Invalid_identifiers_are_dropped_and_reported()
    {
        var reading = PersonRecordReader.ReadWithProblems(Sample(), Communes);

        Assert.Null(reading.Record.LegacyId);
        Assert.Contains(reading.Problems, p => p.Contains("cmnd", StringComparison.Ordinal) && p.Contains("9 digits", StringComparison.Ordinal));
    }

    [Fact]
    public void A_commune_split_by_the_reform_gives_every_successor_and_an_unknown_one_is_reported()
    {
        var patient = Sample();
        patient.Address[0].Extension[0].Value = new FhirString("09999");
        var unknown = new Address();
        unknown.Extension.Add(new Extension(PersonRecordReader.CommuneCodeExtension, new Code("55555")));
        patient.Address.Add(unknown);

        var reading = PersonRecordReader.ReadWithProblems(patient, Communes);

        Assert.Equal(["00100", "00103"], reading.Record.Communes);
        Assert.Contains(reading.Problems, p => p.Contains("55555", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1980", 1980, null, null)]
    [InlineData("1980-05", 1980, 5, null)]
    [InlineData("1980-05-12", 1980, 5, 12)]
    [InlineData("1980-02-30", 1980, 2, null)]
    public void Partial_fhir_dates_stay_partial(string value, int year, int? month, int? day) =>
        Assert.Equal(new PartialDate(year, month, day), PersonRecordReader.BirthDate(value, []));

    [Fact]
    public void A_temporary_identifier_marks_the_record_temporary_and_a_name_text_is_used_when_no_parts()
    {
        var patient = new Patient { Id = "t1" };
        patient.Identifier.Add(new Identifier(IdentifierSystems.Temporary, "CC-01001-0042"));
        patient.Name.Add(new HumanName { Text = "Chưa rõ tên" });

        var record = PersonRecordReader.Read(patient, Communes);

        Assert.True(record.IsTemporary);
        Assert.Equal("Chưa rõ tên", record.FullName);
        Assert.Equal("01001", PersonRecordReader.Read(new Patient { Id = "x", Meta = new Meta { Source = "https://yteso.vn/fhir/sid/ma-co-so-kcb/01001" } }, Communes).FacilityCode);
    }

    [Fact]
    public void A_cccd_that_contradicts_the_recorded_sex_is_kept_and_reported()
    {
        var patient = Sample();
        patient.Gender = AdministrativeGender.Male;

        var reading = PersonRecordReader.ReadWithProblems(patient, Communes);

        Assert.Equal("001187000321", reading.Record.PersonalId);
        Assert.Contains(reading.Problems, p => p.Contains("says female", StringComparison.Ordinal));
    }
}
