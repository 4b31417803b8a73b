using System.Globalization;

using Hl7.Fhir.Model;

namespace YTeSo.Fhir.DemoData;

/// <summary>
/// Builds one citizen's transaction: a Patient and a plausible history, all POSTed with urn:uuid fullUrls so
/// the repository assigns ids and resolves the references inside the bundle.
/// </summary>
internal sealed class CitizenBundleBuilder
{
    // Share of the population in each 5-year band (0-4 ... 85-89), roughly Vietnam's 2019 census pyramid.
    private static readonly (int Value, double Weight)[] AgeBands =
    [
        (0, 7.0), (5, 8.0), (10, 8.0), (15, 7.2), (20, 6.6), (25, 7.2), (30, 8.0), (35, 8.0), (40, 7.5),
        (45, 6.8), (50, 6.2), (55, 5.5), (60, 4.8), (65, 3.8), (70, 2.5), (75, 1.5), (80, 1.0), (85, 0.9),
    ];

    // Old (63-province) codes of places people commonly move to the Central Highlands from (vn-standards §4.2).
    private static readonly string[] OtherBirthProvinces = ["001", "079", "038", "040", "042", "052", "051", "064", "067", "036", "034", "049"];

    private static readonly string[] StreetNames = ["Lê Duẩn", "Nguyễn Tất Thành", "Hùng Vương", "Trần Phú", "Phan Chu Trinh", "Lê Lợi", "Hai Bà Trưng", "Ngô Quyền", "Lý Thường Kiệt", "Quang Trung"];

    // Growth medians by age in months (WHO child growth standards, sexes averaged): height cm, weight kg.
    private static readonly (int Months, double Height, double Weight)[] GrowthMedians =
    [
        (0, 49.9, 3.3), (3, 61.0, 6.0), (6, 66.5, 7.6), (12, 75.0, 9.4), (24, 86.5, 12.0), (36, 95.0, 14.1),
        (48, 102.5, 16.1), (60, 109.5, 18.2), (84, 121.5, 22.7), (120, 138.0, 31.5), (144, 150.0, 40.0),
        (180, 163.0, 52.0), (216, 164.0, 55.0),
    ];

    private readonly DemoReferenceData _reference;
    private readonly Random _random;
    private readonly int _seed;
    private readonly int _index;
    private readonly DateOnly _today;
    private readonly DateTimeOffset _now;
    private readonly Bundle _bundle = new() { Type = Bundle.BundleType.Transaction };
    private readonly Dictionary<Condition, string> _conditionUrns = new(ReferenceEqualityComparer.Instance);
    private int _ordinal;

    private string _patientUrn = string.Empty;
    private bool _female;
    private DateOnly _birthDate;
    private Commune _commune = DemoProvince.Communes[0];

    // Personal build, so repeated measurements of one person agree with each other.
    private double _heightFactor;
    private double _weightFactor;
    private double _adultHeight;
    private double _adultBmi;
    private double _systolicOffset;
    private bool _hypertensive;
    private int _followUps;

    public CitizenBundleBuilder(DemoReferenceData reference, int seed, int index, DateOnly today, Random random)
    {
        _reference = reference;
        _seed = seed;
        _index = index;
        _today = today;
        _now = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), DemoFhir.VietnamOffset);
        _random = random;
    }

    public Bundle Build(ISet<string> usedCccd)
    {
        var patient = CreatePatient(usedCccd);
        _patientUrn = Post(patient);

        var age = AgeOn(_today);
        var chronic = DrawChronicConditions(age);
        var chronicConditions = chronic.Select(CreateChronicCondition).ToList();
        var drugs = chronic.ToDictionary(d => d, DrugFor);

        var visitDates = DrawVisitDates(chronic.Count > 0 ? _random.Next(3, 7) : _random.Next(1, 4));
        _hypertensive = chronic.Contains(ClinicalCatalogue.Hypertension);
        var isFollowUp = visitDates.Select((_, i) => chronic.Count > 0 && (i == 0 || _random.Chance(0.6))).ToList();
        var lastFollowUp = isFollowUp.LastIndexOf(true);
        for (var i = 0; i < visitDates.Count; i++)
        {
            if (isFollowUp[i])
            {
                // Only the latest prescription is still running; earlier ones were replaced at the next visit.
                AddFollowUp(visitDates[i], chronic, chronicConditions, drugs, _followUps, isLast: i == lastFollowUp);
                _followUps++;
            }
            else
            {
                AddAcuteEpisode(visitDates[i]);
            }
        }

        if (age < 15)
        {
            AddImmunizations();
        }

        return _bundle;
    }

    private Patient CreatePatient(ISet<string> usedCccd)
    {
        _female = _random.Chance(0.505);
        var ageYears = _random.PickWeighted(AgeBands) + _random.Next(5);
        _birthDate = _today.AddYears(-ageYears).AddDays(-_random.Next(365));
        _commune = _random.PickWeighted([.. DemoProvince.Communes.Select(c => (c, c.Type == "Phường" ? 2.0 : 1.0))]);
        var name = VietnameseNames.Next(_random, _female, _birthDate.Year);

        _heightFactor = Math.Clamp(_random.Normal(0, 1), -2.5, 2.5);
        _weightFactor = Math.Clamp(_random.Normal(0, 1), -2.0, 2.5);
        _adultHeight = (_female ? 154.0 : 164.5) + (_heightFactor * (_female ? 5.5 : 6.0)) - (_birthDate.Year < 1960 ? 3 : 0);
        _adultBmi = Math.Clamp(21.8 + (_weightFactor * 2.6), 16.5, 33);
        _systolicOffset = _random.Normal(0, 7);

        // vn-standards §4.2: the prefix is where the birth was registered, usually the home province.
        var birthProvince = _random.Chance(0.85) ? "0" + _commune.LegacyProvinceCode : _random.Pick(OtherBirthProvinces);
        string cccd;
        do
        {
            cccd = VietnameseIdentifiers.Cccd(_random, birthProvince, _female, _birthDate.Year);
        }
        while (!usedCccd.Add(cccd));

        var bhxh = VietnameseIdentifiers.Bhxh(_random, _commune.LegacyProvinceCode);
        List<Identifier> identifiers =
        [
            Identifier(DemoFhirSystems.Cccd, cccd, "NI", "National unique individual identifier", "Số định danh cá nhân (CCCD)"),
            Identifier(DemoFhirSystems.Bhxh, bhxh, "SB", "Social Beneficiary Identifier", "Mã số BHXH"),
        ];

        // Children under 6 are insured by the state (Luật BHYT, TE group); coverage overall is about 90%.
        var ageNow = AgeOn(_today);
        if (ageNow < 6 || _random.Chance(0.89))
        {
            var group = VietnameseIdentifiers.BhytGroupFor(_random, ageNow);
            var card = Identifier(DemoFhirSystems.Bhyt, VietnameseIdentifiers.Bhyt(group, _commune.LegacyProvinceCode, bhxh), "MB", "Member Number", "Thẻ BHYT");
            card.Period = new Period(
                new FhirDateTime(_today.Year, 1, 1),
                new FhirDateTime(_today.Year, 12, 31));
            identifiers.Add(card);
        }

        var line = _commune.Type == "Phường"
            ? string.Create(CultureInfo.InvariantCulture, $"Số {_random.Next(1, 300)} đường {_random.Pick(StreetNames)}")
            : string.Create(CultureInfo.InvariantCulture, $"Thôn {_random.Next(1, 15)}");

        var station = DemoProvince.StationOf(_commune);
        var patient = new Patient
        {
            Meta = DemoFhir.SyntheticMeta(),
            Identifier = identifiers,
            Active = true,
            Name = [DemoFhir.HumanName(name)],
            Gender = _female ? AdministrativeGender.Female : AdministrativeGender.Male,
            BirthDate = DemoFhir.Date(_birthDate),
            Address = [DemoFhir.Address(_commune, line)],
            ManagingOrganization = DemoFhir.Reference($"Organization/{station.OrganizationId}", station.Name),
            Communication = [new Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", "vi", "Vietnamese", "Tiếng Việt"), Preferred = true }],
        };
        if (ageNow >= 15)
        {
            patient.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, VietnameseIdentifiers.MobilePhone(_random))];
        }

        return patient;
    }

    private static Identifier Identifier(string system, string value, string typeCode, string typeDisplay, string typeText) => new(system, value)
    {
        Use = Hl7.Fhir.Model.Identifier.IdentifierUse.Official,
        Type = new CodeableConcept(DemoFhirSystems.IdentifierType, typeCode, typeDisplay, typeText),
    };

    private List<Diagnosis> DrawChronicConditions(int age)
    {
        var conditions = new List<Diagnosis>();

        // Rough Vietnamese STEPS-survey prevalences by age; enough to make the demo dashboards look familiar.
        if (_random.Chance(age >= 60 ? 0.45 : age >= 40 ? 0.25 : age >= 25 ? 0.05 : 0))
        {
            conditions.Add(ClinicalCatalogue.Hypertension);
        }

        if (_random.Chance(age >= 60 ? 0.15 : age >= 40 ? 0.08 : 0))
        {
            conditions.Add(ClinicalCatalogue.Type2Diabetes);
        }

        if (age >= 5 && _random.Chance(0.04))
        {
            conditions.Add(ClinicalCatalogue.Asthma);
        }
        else if (age >= 50 && _random.Chance(0.04))
        {
            conditions.Add(ClinicalCatalogue.Copd);
        }

        return conditions;
    }

    private Drug DrugFor(Diagnosis diagnosis) => diagnosis switch
    {
        _ when diagnosis == ClinicalCatalogue.Hypertension => _random.Chance(0.7) ? ClinicalCatalogue.Amlodipine : ClinicalCatalogue.Losartan,
        _ when diagnosis == ClinicalCatalogue.Type2Diabetes => ClinicalCatalogue.Metformin,
        _ => ClinicalCatalogue.Salbutamol,
    };

    private List<DateOnly> DrawVisitDates(int count)
    {
        // Visits fall in the last three years (or since birth) and before Today.
        var first = _birthDate > _today.AddYears(-3) ? _birthDate : _today.AddYears(-3);
        var last = _today.AddDays(-1) < first ? first : _today.AddDays(-1);
        var span = last.DayNumber - first.DayNumber + 1;
        return [.. Enumerable.Range(0, count).Select(_ => first.AddDays(_random.Next(span))).Order()];
    }

    private Condition CreateChronicCondition(Diagnosis diagnosis)
    {
        var earliest = _birthDate.AddYears(diagnosis == ClinicalCatalogue.Asthma ? 3 : 25);
        var onsetFrom = earliest > _today.AddYears(-15) ? earliest : _today.AddYears(-15);
        var onsetSpan = Math.Max(1, _today.AddYears(-3).DayNumber - onsetFrom.DayNumber);
        var onset = onsetFrom.AddDays(_random.Next(onsetSpan));
        var condition = new Condition
        {
            Meta = DemoFhir.SyntheticMeta(),
            ClinicalStatus = new CodeableConcept(DemoFhirSystems.ConditionClinical, "active"),
            VerificationStatus = new CodeableConcept(DemoFhirSystems.ConditionVerification, "confirmed"),
            Category = [new CodeableConcept(DemoFhirSystems.ConditionCategory, "problem-list-item", "Problem List Item", "Bệnh mạn tính")],
            Code = new CodeableConcept(DemoFhirSystems.Icd10, diagnosis.Icd10, diagnosis.Display, diagnosis.Display),
            Subject = DemoFhir.Reference(_patientUrn),
            Onset = new FhirDateTime(DemoFhir.Date(onset < _birthDate ? _birthDate : onset)),
        };
        Post(condition);
        return condition;
    }

    private void AddFollowUp(DateOnly date, List<Diagnosis> chronic, List<Condition> conditions, Dictionary<Diagnosis, Drug> drugs, int followUpNumber, bool isLast)
    {
        var facility = _random.Chance(0.6) ? DemoProvince.StationOf(_commune) : DemoProvince.HealthCentreFor(_commune);
        var practitioner = _random.Pick(_reference.At(facility));
        var start = AtTime(date, _random.Next(7 * 12, (16 * 12) + 6) * 5);
        var end = start.AddMinutes(_random.Next(3, 10) * 5);
        var encounter = CreateEncounter("AMB", "ambulatory", "Khám định kỳ bệnh mạn tính", facility, practitioner, start, end);
        for (var i = 0; i < conditions.Count; i++)
        {
            encounter.Diagnosis.Add(new Encounter.DiagnosisComponent { Condition = DemoFhir.Reference(_conditionUrns[conditions[i]]), Rank = i + 1 });
            if (followUpNumber == 0)
            {
                conditions[i].RecordedDate = DemoFhir.DateTimeText(start);
                conditions[i].Recorder = PractitionerReference(practitioner);
            }
        }

        var encounterUrn = Post(encounter);
        AddVitalSigns(encounterUrn, practitioner, start.AddMinutes(5), _hypertensive, treatedVisits: followUpNumber, measureHeight: followUpNumber == 0);
        if (chronic.Contains(ClinicalCatalogue.Type2Diabetes))
        {
            // Fasting plasma glucose; diabetics under treatment still run above the 126 mg/dL threshold.
            AddGlucose(encounterUrn, practitioner, start.AddMinutes(10), Math.Clamp(_random.Normal(165 - (followUpNumber * 5), 25), 110, 320));
        }

        for (var i = 0; i < chronic.Count; i++)
        {
            AddMedicationRequest(encounterUrn, practitioner, start.AddMinutes(20), drugs[chronic[i]], conditions[i], active: isLast);
        }
    }

    private void AddAcuteEpisode(DateOnly date)
    {
        var age = AgeOn(date);
        var diagnosis = _random.PickWeighted(age < 16 ? ClinicalCatalogue.ChildAcute : ClinicalCatalogue.AdultAcute);
        var severe = diagnosis == ClinicalCatalogue.Pneumonia || diagnosis == ClinicalCatalogue.Dengue;
        var roll = _random.NextDouble();
        var encounterClass = severe && roll < 0.5 ? "IMP"
            : (severe || diagnosis == ClinicalCatalogue.Diarrhoea) && roll < 0.65 ? "EMER"
            : roll > 0.97 ? "EMER"
            : "AMB";

        Facility facility;
        DateTimeOffset start;
        DateTimeOffset end;
        switch (encounterClass)
        {
            case "IMP":
                facility = DemoProvince.HospitalFor(_commune);
                start = AtTime(date, _random.Next(0, 288) * 5);
                end = AtTime(date.AddDays(_random.Next(3, 9)), _random.Next(9 * 12, 11 * 12) * 5);
                break;
            case "EMER":
                facility = _random.Chance(0.5) ? DemoProvince.HospitalFor(_commune) : DemoProvince.HealthCentreFor(_commune);
                start = AtTime(date, _random.Next(0, 288) * 5);
                end = start.AddMinutes(_random.Next(24, 96) * 5);
                break;
            default:
                facility = _random.Chance(0.7) ? DemoProvince.StationOf(_commune) : DemoProvince.HealthCentreFor(_commune);
                start = AtTime(date, _random.Next(7 * 12, (16 * 12) + 6) * 5);
                end = start.AddMinutes(_random.Next(3, 10) * 5);
                break;
        }

        var practitioner = _random.Pick(_reference.At(facility));
        var (display, text) = encounterClass switch
        {
            "IMP" => ("inpatient encounter", "Điều trị nội trú"),
            "EMER" => ("emergency", "Cấp cứu"),
            _ => ("ambulatory", "Khám bệnh"),
        };
        var encounter = CreateEncounter(encounterClass, display, text, facility, practitioner, start, end);
        var encounterUrn = NextUrn();
        var abatement = end.AddDays(_random.Next(3, 10));
        var condition = new Condition
        {
            Meta = DemoFhir.SyntheticMeta(),
            ClinicalStatus = new CodeableConcept(DemoFhirSystems.ConditionClinical, abatement < _now ? "resolved" : "active"),
            VerificationStatus = new CodeableConcept(DemoFhirSystems.ConditionVerification, "confirmed"),
            Category = [new CodeableConcept(DemoFhirSystems.ConditionCategory, "encounter-diagnosis", "Encounter Diagnosis", "Chẩn đoán")],
            Code = new CodeableConcept(DemoFhirSystems.Icd10, diagnosis.Icd10, diagnosis.Display, diagnosis.Display),
            Subject = DemoFhir.Reference(_patientUrn),
            Encounter = DemoFhir.Reference(encounterUrn),
            Onset = DemoFhir.DateTime(start.AddDays(-_random.Next(1, 4))),
            Abatement = abatement < _now ? DemoFhir.DateTime(abatement) : null,
            RecordedDate = DemoFhir.DateTimeText(start),
            Recorder = PractitionerReference(practitioner),
        };
        var conditionUrn = Post(condition);
        encounter.Diagnosis.Add(new Encounter.DiagnosisComponent { Condition = DemoFhir.Reference(conditionUrn), Rank = 1 });
        Post(encounter, encounterUrn);

        AddVitalSigns(encounterUrn, practitioner, start.AddMinutes(5), _hypertensive, _followUps, measureHeight: age < 18);
    }

    private Encounter CreateEncounter(string classCode, string classDisplay, string typeText, Facility facility, DemoPractitioner practitioner, DateTimeOffset start, DateTimeOffset end)
    {
        var finished = end <= _now;
        return new Encounter
        {
            Meta = DemoFhir.SyntheticMeta(),
            Status = finished ? Encounter.EncounterStatus.Finished : Encounter.EncounterStatus.InProgress,
            Class = new Coding(DemoFhirSystems.ActCode, classCode, classDisplay),
            Type = [new CodeableConcept { Text = typeText }],
            Subject = DemoFhir.Reference(_patientUrn),
            Participant =
            [
                new Encounter.ParticipantComponent
                {
                    Type = [new CodeableConcept(DemoFhirSystems.ParticipationType, "PPRF", "primary performer", "Người thực hiện chính")],
                    Individual = PractitionerReference(practitioner),
                },
            ],
            Period = new Period { StartElement = DemoFhir.DateTime(start), EndElement = finished ? DemoFhir.DateTime(end) : null },
            Location = [new Encounter.LocationComponent { Location = DemoFhir.Reference($"Location/{facility.LocationId}", facility.Name) }],
            ServiceProvider = DemoFhir.Reference($"Organization/{facility.OrganizationId}", facility.Name),
        };
    }

    private void AddVitalSigns(string encounterUrn, DemoPractitioner practitioner, DateTimeOffset when, bool hypertensive, int treatedVisits, bool measureHeight)
    {
        var date = DateOnly.FromDateTime(when.DateTime);
        var ageMonths = ((date.Year - _birthDate.Year) * 12) + date.Month - _birthDate.Month;
        var height = HeightAt(ageMonths);
        var weight = WeightAt(ageMonths, height) + _random.Normal(0, ageMonths < 24 ? 0.1 : 0.6);

        if (ageMonths >= 16 * 12)
        {
            // Untreated hypertensives present high; each treated visit brings systolic down toward target.
            var age = ageMonths / 12.0;
            var systolic = Math.Clamp(
                hypertensive
                    ? Math.Max(128, 152 - (treatedVisits * 6) + _random.Normal(0, 8))
                    : 110 + (0.35 * Math.Max(0, age - 30)) + _systolicOffset + _random.Normal(0, 5),
                90,
                210);
            var diastolic = Math.Clamp((0.55 * systolic) + _random.Normal(8, 5), 55, systolic - 25);
            var bloodPressure = VitalSign("85354-9", "Blood pressure panel with all children optional", "Huyết áp", encounterUrn, practitioner, when);
            bloodPressure.Component =
            [
                new Observation.ComponentComponent
                {
                    Code = new CodeableConcept(DemoFhirSystems.Loinc, "8480-6", "Systolic blood pressure", "Huyết áp tâm thu"),
                    Value = Quantity(systolic, 0, "mmHg", "mm[Hg]"),
                },
                new Observation.ComponentComponent
                {
                    Code = new CodeableConcept(DemoFhirSystems.Loinc, "8462-4", "Diastolic blood pressure", "Huyết áp tâm trương"),
                    Value = Quantity(diastolic, 0, "mmHg", "mm[Hg]"),
                },
            ];
            Post(bloodPressure);
        }

        var weightObservation = VitalSign("29463-7", "Body weight", "Cân nặng", encounterUrn, practitioner, when);
        weightObservation.Value = Quantity(weight, 1, "kg", "kg");
        Post(weightObservation);

        if (measureHeight)
        {
            var heightObservation = VitalSign("8302-2", "Body height", "Chiều cao", encounterUrn, practitioner, when);
            heightObservation.Value = Quantity(height, 1, "cm", "cm");
            Post(heightObservation);
        }

        // BMI is a screening measure from age 2 (WHO); below that weight-for-length is used instead.
        if (ageMonths >= 24)
        {
            var bmi = VitalSign("39156-5", "Body mass index (BMI) [Ratio]", "Chỉ số khối cơ thể (BMI)", encounterUrn, practitioner, when);
            bmi.Value = Quantity(weight / Math.Pow(height / 100, 2), 1, "kg/m2", "kg/m2");
            Post(bmi);
        }
    }

    private void AddGlucose(string encounterUrn, DemoPractitioner practitioner, DateTimeOffset when, double milligramsPerDecilitre)
    {
        var glucose = VitalSign("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "Glucose máu lúc đói", encounterUrn, practitioner, when);
        glucose.Category = [new CodeableConcept(DemoFhirSystems.ObservationCategory, "laboratory", "Laboratory", "Xét nghiệm")];
        glucose.Value = Quantity(milligramsPerDecilitre, 0, "mg/dL", "mg/dL");
        Post(glucose);
    }

    private Observation VitalSign(string loinc, string display, string text, string encounterUrn, DemoPractitioner practitioner, DateTimeOffset when) => new()
    {
        Meta = DemoFhir.SyntheticMeta(),
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept(DemoFhirSystems.ObservationCategory, "vital-signs", "Vital Signs", "Dấu hiệu sinh tồn")],
        Code = new CodeableConcept(DemoFhirSystems.Loinc, loinc, display, text),
        Subject = DemoFhir.Reference(_patientUrn),
        Encounter = DemoFhir.Reference(encounterUrn),
        Effective = DemoFhir.DateTime(when),
        Performer = [PractitionerReference(practitioner)],
    };

    private static Quantity Quantity(double value, int decimals, string unit, string ucum) => new()
    {
        Value = Math.Round((decimal)value, decimals),
        Unit = unit,
        System = DemoFhirSystems.Ucum,
        Code = ucum,
    };

    private void AddMedicationRequest(string encounterUrn, DemoPractitioner practitioner, DateTimeOffset when, Drug drug, Condition reason, bool active)
    {
        Post(new MedicationRequest
        {
            Meta = DemoFhir.SyntheticMeta(),
            Status = active ? MedicationRequest.MedicationrequestStatus.Active : MedicationRequest.MedicationrequestStatus.Completed,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept(DemoFhirSystems.Atc, drug.Atc, null, drug.Text),
            Subject = DemoFhir.Reference(_patientUrn),
            Encounter = DemoFhir.Reference(encounterUrn),
            AuthoredOn = DemoFhir.DateTimeText(when),
            Requester = PractitionerReference(practitioner),
            ReasonReference = [DemoFhir.Reference(_conditionUrns[reason])],
            DosageInstruction = [new Dosage { Text = drug.Dosage }],
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                Quantity = new Quantity { Value = drug.Quantity, Unit = drug.QuantityUnit },
                ExpectedSupplyDuration = new Duration { Value = 30, Unit = "ngày", System = DemoFhirSystems.Ucum, Code = "d" },
            },
        });
    }

    private void AddImmunizations()
    {
        foreach (var dose in ClinicalCatalogue.ChildhoodSchedule)
        {
            var date = _birthDate.AddDays(dose.AgeDays + (dose.AgeDays == 0 ? 0 : _random.Next(0, 21)));

            // Coverage in the demo is ~93%, near Vietnam's reported full-immunization rate.
            var given = _random.Chance(0.93);
            if (!given || date >= _today || (dose.IntroducedOn is { } introduced && date < introduced))
            {
                continue;
            }

            // Birth doses are given where the child is born; later doses at the commune station.
            var facility = dose.AgeDays <= 7 ? DemoProvince.HospitalFor(_commune) : DemoProvince.StationOf(_commune);
            var practitioner = _random.Pick(_reference.At(facility));
            Post(new Immunization
            {
                Meta = DemoFhir.SyntheticMeta(),
                Status = Immunization.ImmunizationStatusCodes.Completed,
                VaccineCode = new CodeableConcept(DemoFhirSystems.Cvx, dose.Cvx, dose.CvxDisplay, dose.Name),
                Patient = DemoFhir.Reference(_patientUrn),
                Occurrence = DemoFhir.DateTime(AtTime(date, _random.Next(7 * 12, 11 * 12) * 5)),
                PrimarySource = true,
                Location = DemoFhir.Reference($"Location/{facility.LocationId}", facility.Name),
                Performer = [new Immunization.PerformerComponent { Actor = PractitionerReference(practitioner) }],
                ProtocolApplied = [new Immunization.ProtocolAppliedComponent { Series = "TCMR", DoseNumber = new PositiveInt(dose.DoseNumber) }],
            });
        }
    }

    private double HeightAt(int ageMonths)
    {
        if (ageMonths >= 216)
        {
            return _adultHeight;
        }

        var median = Interpolate(ageMonths, g => g.Height) * (ageMonths > 120 ? (_female ? 0.975 : 1.02) : 1);
        return median * (1 + (0.04 * _heightFactor));
    }

    private double WeightAt(int ageMonths, double height)
    {
        if (ageMonths >= 216)
        {
            return _adultBmi * Math.Pow(height / 100, 2);
        }

        return Interpolate(ageMonths, g => g.Weight) * (1 + (0.1 * _weightFactor)) * (1 + (0.04 * _heightFactor));
    }

    private static double Interpolate(int ageMonths, Func<(int Months, double Height, double Weight), double> value)
    {
        for (var i = 1; i < GrowthMedians.Length; i++)
        {
            if (ageMonths <= GrowthMedians[i].Months)
            {
                var (from, to) = (GrowthMedians[i - 1], GrowthMedians[i]);
                var t = (double)(Math.Max(ageMonths, 0) - from.Months) / (to.Months - from.Months);
                return value(from) + (t * (value(to) - value(from)));
            }
        }

        return value(GrowthMedians[^1]);
    }

    private int AgeOn(DateOnly date)
    {
        var age = date.Year - _birthDate.Year;
        return _birthDate.AddYears(age) > date ? age - 1 : age;
    }

    private static DateTimeOffset AtTime(DateOnly date, int minutes) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), DemoFhir.VietnamOffset).AddMinutes(minutes);

    private static ResourceReference PractitionerReference(DemoPractitioner practitioner) =>
        DemoFhir.Reference($"Practitioner/{practitioner.Id}", practitioner.Name.Text);

    private string NextUrn() => DeterministicUuid.Urn(_seed, _index, _ordinal++);

    private string Post(Resource resource, string? urn = null)
    {
        urn ??= NextUrn();
        if (resource is Condition condition)
        {
            _conditionUrns[condition] = urn;
        }

        _bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = urn,
            Resource = resource,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = resource.TypeName },
        });
        return urn;
    }
}
