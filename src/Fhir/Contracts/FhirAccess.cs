using Microsoft.AspNetCore.Http;
using YTeSo.Platform.Auditing;

namespace YTeSo.Fhir.Contracts;

/// <summary>The SMART v2 interactions (<c>c r u d s</c> in a scope such as <c>system/Observation.rs</c>).</summary>
[Flags]
public enum FhirInteractions
{
    None = 0,
    Create = 1,
    Read = 2,
    Update = 4,
    Delete = 8,
    Search = 16,
    All = Create | Read | Update | Delete | Search,
}

/// <summary>
/// Which patients' clinical data (resources in the FHIR Patient compartment) a caller may see. A patient is open to the
/// caller when any of these holds:
/// <list type="bullet">
/// <item>the patient id is in <see cref="PatientIds"/> (the citizen's own record, a SMART launch patient, a break-glass grant);</item>
/// <item>the patient has a care relationship (encounter, episode of care, appointment, registration, referral) with a
/// facility in <see cref="FacilityIds"/>;</item>
/// <item>an active FHIR <c>Consent</c> of the patient shares their record with a facility in <see cref="FacilityIds"/>,
/// or with every facility.</item>
/// </list>
/// </summary>
/// <param name="FacilityIds">FHIR Organization ids the caller acts for.</param>
/// <param name="PatientIds">Patient ids opened directly.</param>
public sealed record PatientFilter(IReadOnlySet<string> FacilityIds, IReadOnlySet<string> PatientIds);

/// <summary>
/// What one caller may do in the FHIR repository. Built per request by the access layer and passed explicitly to every
/// repository call, so no path (read, search, <c>_include</c>, history, <c>$everything</c>, <c>$export</c>, bundles,
/// the web UI) can skip the filter. See docs/security.md.
/// </summary>
public sealed class FhirAccess
{
    /// <summary>Who is acting, for the audit trail.</summary>
    public required AuditActor Actor { get; init; }

    /// <summary>Permitted interactions per resource type; the key <c>*</c> applies to every type.</summary>
    public required IReadOnlyDictionary<string, FhirInteractions> Scopes { get; init; }

    /// <summary>Null: province-wide (every patient). Otherwise only the patients this filter opens.</summary>
    public PatientFilter? Patients { get; init; }

    /// <summary>Patients opened by an emergency (break-glass) grant: their access is flagged in the audit trail.</summary>
    public IReadOnlySet<string> BreakGlassPatientIds { get; init; } = EmptySet;

    /// <summary>
    /// Sensitivity labels (codes of <see cref="SecurityLabels.Sensitive"/>) the caller may see. A resource carrying any
    /// other sensitive label in <c>meta.security</c> is hidden as if it did not exist.
    /// </summary>
    public IReadOnlySet<string> PermittedSensitivity { get; init; } = EmptySet;

    /// <summary>Statistics roles: counts only (<c>_summary=count</c>); no resource content is returned.</summary>
    public bool AggregatesOnly { get; init; }

    /// <summary>
    /// The platform's own trusted work (<see cref="System"/>): sees every resource, consent denials included, so an
    /// import or seeding never duplicates what it cannot see. Only <see cref="System"/> sets it.
    /// </summary>
    internal bool IsPlatform { get; private init; }

    /// <summary>True when the caller may perform <paramref name="interaction"/> on <paramref name="resourceType"/>.</summary>
    public bool Allows(string resourceType, FhirInteractions interaction) =>
        ((Scopes.GetValueOrDefault(resourceType) | Scopes.GetValueOrDefault("*")) & interaction) == interaction;

    /// <summary>
    /// Everything, for the platform's own trusted work started by an operator (bulk import, demo seeding, migrations);
    /// still audited under <paramref name="display"/>. Never built from a network request.
    /// </summary>
    public static FhirAccess System(string display) => new()
    {
        Actor = AuditActor.System(display),
        Scopes = new Dictionary<string, FhirInteractions> { ["*"] = FhirInteractions.All },
        PermittedSensitivity = SecurityLabels.Sensitive,
        IsPlatform = true,
    };

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();
}

/// <summary>
/// The <c>meta.security</c> labels that make a resource sensitive (HIV/AIDS, mental health, reproductive health,
/// addiction), from the HL7 v3 ActCode sensitivity policies and the v3 Confidentiality codes R and V.
/// </summary>
public static class SecurityLabels
{
    public const string ActCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string ConfidentialitySystem = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    /// <summary>Sensitive codes: HIV, STD (HIV/AIDS and sexually transmitted), PSY, MH, BH (mental health),
    /// SEX (sexuality and reproductive health), ETH, SUD (substance use), SDV (violence), and R/V (restricted).</summary>
    public static readonly IReadOnlySet<string> Sensitive =
        new HashSet<string>(["HIV", "STD", "PSY", "MH", "BH", "SEX", "ETH", "SUD", "SDV", "R", "V"], StringComparer.Ordinal);
}

/// <summary>Builds the caller's <see cref="FhirAccess"/> from an authenticated request (implemented by the Access module).</summary>
public interface IFhirAccessResolver
{
    /// <summary>The caller's access; throws nothing for unauthenticated requests (authentication rejects those first).</summary>
    ValueTask<FhirAccess> ResolveAsync(HttpContext context, CancellationToken cancellationToken);
}
