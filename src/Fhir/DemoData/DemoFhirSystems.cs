namespace YTeSo.Fhir.DemoData;

internal static class DemoFhirSystems
{
    public const string Cccd = "https://yteso.vn/fhir/sid/cccd";
    public const string Bhyt = "https://yteso.vn/fhir/sid/bhyt";
    public const string Bhxh = "https://yteso.vn/fhir/sid/bhxh";
    public const string FacilityCode = "https://yteso.vn/fhir/sid/ma-co-so-kcb";
    public const string PractitionerLicence = "https://yteso.vn/fhir/sid/chung-chi-hanh-nghe";
    public const string FacilityType = "https://yteso.vn/fhir/CodeSystem/facility-type";
    public const string FacilityLevel = "https://yteso.vn/fhir/CodeSystem/facility-level";
    public const string CommuneCodeExtension = "https://yteso.vn/fhir/StructureDefinition/commune-code";

    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string Cvx = "http://hl7.org/fhir/sid/cvx";
    public const string Atc = "http://www.whocc.no/atc";

    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public const string OrganizationType = "http://terminology.hl7.org/CodeSystem/organization-type";
    public const string LocationPhysicalType = "http://terminology.hl7.org/CodeSystem/location-physical-type";
    public const string IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
}
