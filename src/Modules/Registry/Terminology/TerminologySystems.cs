namespace YTeSo.Registry.Terminology;

/// <summary>The canonical URLs of the code lists the platform ships or imports, and the extensions they carry.</summary>
internal static class TerminologySystems
{
    public const string Base = "https://yteso.vn/fhir/";

    /// <summary>The system URI the demo data and HL7 use for ICD-10 (FHIR R4 terminologies-systems.html).</summary>
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";

    /// <summary>The value set of every ICD-10 code in force (the whole list, or the sample until it is imported).</summary>
    public const string Icd10AllValueSet = Base + "ValueSet/icd-10";

    /// <summary>
    /// R5's CodeSystem.effectivePeriod, used in R4 through the cross-version extension
    /// (FHIR R5 versions.html#extensions): the validity of one version of a list.
    /// </summary>
    public const string EffectivePeriodExtension = "http://hl7.org/fhir/5.0/StructureDefinition/extension-CodeSystem.effectivePeriod";

    /// <summary>The concept property holding the parent code (FHIR R4 codesystem-concept-properties: parent).</summary>
    public const string ParentProperty = "parent";

    /// <summary>How sure the list's row is, after the marks of vn-standards.md: P (primary text), S (secondary), U (unverified).</summary>
    public const string CertaintyProperty = "certainty";

    /// <summary>Administrative units in force since 1 July 2025: provinces (2 digits) and communes (5 digits).</summary>
    public const string AdministrativeUnits = Base + "CodeSystem/don-vi-hanh-chinh";

    /// <summary>Administrative units before the reform (to 30 June 2025): provinces, districts and communes.</summary>
    public const string LegacyAdministrativeUnits = Base + "CodeSystem/don-vi-hanh-chinh-truoc-2025";

    /// <summary>The map from a pre-reform commune to the commune(s) it became on 1 July 2025.</summary>
    public const string AdministrativeUnitsMap = Base + "ConceptMap/don-vi-hanh-chinh-2025";

    /// <summary>Value set of every current administrative unit (answered from the Registry, not stored).</summary>
    public const string AdministrativeUnitsValueSet = Base + "ValueSet/don-vi-hanh-chinh";
}
