using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;

using YTeSo.Fhir.Indexing;

namespace YTeSo.Fhir.Access;

/// <summary>
/// The FHIR R4 Patient compartment (compartmentdefinition-patient.html, CompartmentDefinition/patient of 4.0.1): which
/// resource types hold a patient's clinical data and through which search parameters they point at the patient. It
/// decides what a patient filter hides: a type listed here is clinical, every other type (Organization, Practitioner,
/// Location, Medication, ValueSet...) is reference data visible to any caller with the scope.
/// </summary>
internal sealed class PatientCompartment(SearchParameterCatalog catalog)
{
    /// <summary>
    /// compartmentdefinition-patient.html, "Inclusion Criteria" per resource type (R4 4.0.1), as data. The Patient row
    /// of the standard ("link") is not used: a Patient resource is in its own compartment by its id.
    /// </summary>
    public static readonly FrozenDictionary<string, string[]> Parameters = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Account"] = ["subject"],
        ["AdverseEvent"] = ["subject"],
        ["AllergyIntolerance"] = ["patient", "recorder", "asserter"],
        ["Appointment"] = ["actor"],
        ["AppointmentResponse"] = ["actor"],
        ["AuditEvent"] = ["patient"],
        ["Basic"] = ["patient", "author"],
        ["BodyStructure"] = ["patient"],
        ["CarePlan"] = ["patient", "performer"],
        ["CareTeam"] = ["patient", "participant"],
        ["ChargeItem"] = ["subject"],
        ["Claim"] = ["patient", "payee"],
        ["ClaimResponse"] = ["patient"],
        ["ClinicalImpression"] = ["subject"],
        ["Communication"] = ["subject", "sender", "recipient"],
        ["CommunicationRequest"] = ["subject", "sender", "recipient", "requester"],
        ["Composition"] = ["subject", "author", "attester"],
        ["Condition"] = ["patient", "asserter"],
        ["Consent"] = ["patient"],
        ["Coverage"] = ["policy-holder", "subscriber", "beneficiary", "payor"],
        ["CoverageEligibilityRequest"] = ["patient"],
        ["CoverageEligibilityResponse"] = ["patient"],
        ["DetectedIssue"] = ["patient"],
        ["DeviceRequest"] = ["subject", "performer"],
        ["DeviceUseStatement"] = ["subject"],
        ["DiagnosticReport"] = ["subject"],
        ["DocumentManifest"] = ["subject", "author", "recipient"],
        ["DocumentReference"] = ["subject", "author"],
        ["Encounter"] = ["patient"],
        ["EnrollmentRequest"] = ["subject"],
        ["EpisodeOfCare"] = ["patient"],
        ["ExplanationOfBenefit"] = ["patient", "payee"],
        ["FamilyMemberHistory"] = ["patient"],
        ["Flag"] = ["patient"],
        ["Goal"] = ["patient"],
        ["Group"] = ["member"],
        ["ImagingStudy"] = ["patient"],
        ["Immunization"] = ["patient"],
        ["ImmunizationEvaluation"] = ["patient"],
        ["ImmunizationRecommendation"] = ["patient"],
        ["Invoice"] = ["subject", "patient", "recipient"],
        ["List"] = ["subject", "source"],
        ["MeasureReport"] = ["patient"],
        ["Media"] = ["subject"],
        ["MedicationAdministration"] = ["patient", "performer", "subject"],
        ["MedicationDispense"] = ["subject", "patient", "receiver"],
        ["MedicationRequest"] = ["subject"],
        ["MedicationStatement"] = ["subject"],
        ["MolecularSequence"] = ["patient"],
        ["NutritionOrder"] = ["patient"],
        ["Observation"] = ["subject", "performer"],
        ["Patient"] = [],
        ["Person"] = ["patient"],
        ["Procedure"] = ["patient", "performer"],
        ["Provenance"] = ["patient"],
        ["QuestionnaireResponse"] = ["subject", "author"],
        ["RelatedPerson"] = ["patient"],
        ["RequestGroup"] = ["subject", "participant"],
        ["ResearchSubject"] = ["individual"],
        ["RiskAssessment"] = ["subject"],
        ["Schedule"] = ["actor"],
        ["ServiceRequest"] = ["subject", "performer"],
        ["Specimen"] = ["subject"],
        ["SupplyDelivery"] = ["patient"],
        ["SupplyRequest"] = ["subject"],
        ["VisionPrescription"] = ["patient"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, string> _idLists = new(StringComparer.Ordinal);

    public static bool IsClinical(string type) => Parameters.ContainsKey(type);

    /// <summary>The clinical types as a SQL list of literals (fixed names from the table above, never user input).</summary>
    public static readonly string ClinicalTypesSql = string.Join(", ", Parameters.Keys.Order(StringComparer.Ordinal).Select(t => $"'{t}'"));

    /// <summary>
    /// The search-parameter ids through which <paramref name="type"/> points at its patients, as a SQL list of integers;
    /// null type: those of every clinical type (ids are per type, so the union never mixes types up).
    /// "0" when there are none, so "IN (0)" matches nothing.
    /// </summary>
    public string ParamIdsSql(string? type) => Cached(type ?? "*", () => type is null
        ? Parameters.Keys.SelectMany(Ids)
        : Ids(type));

    /// <summary>The ids of the <c>_security</c> parameter of <paramref name="type"/> (null: of every type), as a SQL list.</summary>
    public string SecurityParamIdsSql(string? type) => Cached("_security:" + (type ?? "*"), () => (type is null ? catalog.ResourceTypes : [type])
        .Select(t => catalog.Find(t, "_security")?.Id ?? 0));

    /// <summary>Whether a reference index row of parameter <paramref name="paramId"/> puts its target in the Patient compartment.</summary>
    public bool IsCompartmentParameter(string type, int paramId) =>
        Parameters.TryGetValue(type, out var codes) && codes.Any(c => catalog.Find(type, c)?.Id == paramId);

    private IEnumerable<int> Ids(string type) => Parameters.TryGetValue(type, out var codes)
        ? codes.Select(c => catalog.Find(type, c)?.Id ?? 0)
        : [];

    private string Cached(string key, Func<IEnumerable<int>> ids)
    {
        if (_idLists.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var list = ids().Where(i => i != 0).Distinct().Order().ToList();
        var sql = list.Count == 0 ? "0" : string.Join(",", list.Select(i => i.ToString(CultureInfo.InvariantCulture)));

        // Parameter ids are assigned when the store initialises; cache only once they are known.
        if (list.Count > 0)
        {
            _idLists[key] = sql;
        }

        return sql;
    }
}
