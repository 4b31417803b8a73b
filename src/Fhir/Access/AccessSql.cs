using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Indexing;
using YTeSo.Fhir.Search;

namespace YTeSo.Fhir.Access;

/// <summary>
/// The patient filter and the sensitivity rule as SQL conditions on a row of <c>resources</c>, so every path (search,
/// <c>_total</c>, includes, read, history, <c>$everything</c>, <c>$export</c>, conditional writes) filters inside the
/// query: paging and totals stay exact and nothing is post-filtered in memory. The rules (docs/security.md):
/// <list type="number">
/// <item>A resource carrying a <see cref="SecurityLabels.Sensitive"/> code in <c>meta.security</c> that the caller is not
/// permitted is hidden from everyone, province-wide callers included.</item>
/// <item>With a patient filter, a resource of a Patient-compartment type is visible when one of its compartment
/// references points at a patient the filter opens (the Patient itself: by its id); without any such reference, only
/// province-wide callers see it. Other types are reference data, visible to anyone with the scope.</item>
/// <item>A patient opens through a care relationship with one of the caller's facilities, through an active consent
/// sharing with one of them (or with every facility), or directly (<see cref="PatientFilter.PatientIds"/>,
/// <see cref="FhirAccess.BreakGlassPatientIds"/>).</item>
/// <item>When the patient's active consent denies a sensitive label, resources of that patient carrying it are
/// visible only through a care relationship: never through consent sharing, a direct grant, break-glass or
/// province-wide access.</item>
/// </list>
/// </summary>
internal sealed class AccessSql(PatientCompartment compartment, TimeProvider clock)
{
    /// <summary>The v3 systems whose codes make a label sensitive, as SQL literals (constants, not input).</summary>
    private static readonly string LabelSystems = $"'{SecurityLabels.ActCodeSystem}', '{SecurityLabels.ConfidentialitySystem}'";

    /// <summary>
    /// True when <paramref name="access"/> sees every stored resource, so no condition is needed: only the platform's
    /// own work. Any other caller is at least checked for sensitive labels, either forbidden or deniable by consent.
    /// </summary>
    public static bool SeesEverything(FhirAccess access) => access.IsPlatform;

    /// <summary>
    /// The condition under which the row <paramref name="alias"/> (of <paramref name="type"/>, or of any type when null)
    /// is visible to <paramref name="access"/>; null when everything is.
    /// With <paramref name="fromCandidates"/> the row comes from <see cref="Candidates"/>, which is then exactly the patient
    /// filter when no label is deniable (care, active shares and grants, nothing to take away): the patient part is not
    /// checked a second time per row.
    /// </summary>
    public string? Visible(FhirAccess access, string? type, string alias, SqlParameters p, bool fromCandidates = false)
    {
        if (SeesEverything(access))
        {
            return null;
        }

        var clauses = new List<string>();
        var forbidden = SecurityLabels.Sensitive.Where(l => !access.PermittedSensitivity.Contains(l)).Order(StringComparer.Ordinal).ToList();
        if (forbidden.Count > 0)
        {
            clauses.Add($"NOT EXISTS (SELECT 1 FROM idx_token acc_s WHERE acc_s.resource_key = {alias}.resource_key AND acc_s.param_id IN ({compartment.SecurityParamIdsSql(type)}) " +
                $"AND acc_s.code IN ({string.Join(", ", forbidden.Select(p.Add))}) AND acc_s.system IN ({LabelSystems}))");
        }

        var context = new Context(access, type, alias, p, this);
        if (access.Patients is not null && !(fromCandidates && context.Deniable.Count == 0))
        {
            clauses.Add(context.ByPatient(context.Open));
        }
        else if (context.Deniable.Count > 0)
        {
            clauses.Add(context.ByPatient(context.Denied, none: true));
        }

        clauses.RemoveAll(c => c.Length == 0);
        return clauses.Count == 0 ? null : string.Join(" AND ", clauses);
    }

    /// <summary>
    /// For a facility-scoped search that should start from the facility (no selective criterion, or one that matches
    /// more rows than the facility has, see <c>SearchEngine</c>): the keys of resources of <paramref name="type"/> that
    /// point at a patient the caller's facilities or grants open, so the query starts from the facility's patients
    /// (index seeks on patient_access, then idx_reference by target) instead of walking every match of the type.
    /// Exactly the patients <see cref="Visible"/> opens before any consent denial (care, shares valid now, grants);
    /// <see cref="Visible"/> still decides labels and denials. Null when it does not apply.
    /// </summary>
    public string? Candidates(FhirAccess access, string type, string alias, SqlParameters p) => CandidateRows(access, type, p) switch
    {
        null => null,
        "" => "1 = 0",
        var rows => type == "Patient" ? $"{alias}.resource_id IN ({rows})" : $"{alias}.resource_key IN ({rows})",
    };

    /// <summary>
    /// The rows behind <see cref="Candidates"/>, one per candidate (patient ids for Patient, compartment index rows giving
    /// resource keys otherwise), so a plan can also count them; empty when the caller opens no patient at all.
    /// </summary>
    public string? CandidateRows(FhirAccess access, string type, SqlParameters p)
    {
        if (access.Patients is not { } filter || !PatientCompartment.IsClinical(type))
        {
            return null;
        }

        var sources = new List<string>();
        if (filter.FacilityIds.Count > 0)
        {
            var facilities = string.Join(", ", filter.FacilityIds.Order(StringComparer.Ordinal).Select(p.Add));
            sources.Add($"SELECT acc_a.patient_id FROM patient_access acc_a WHERE acc_a.kind = {(int)PatientAccessKind.Care} AND acc_a.target IN ({facilities})");
            var now = p.Add(clock.GetUtcNow().UtcTicks);
            sources.Add($"SELECT acc_a.patient_id FROM patient_access acc_a WHERE acc_a.kind = {(int)PatientAccessKind.Share} AND acc_a.target IN ({facilities}, {p.Add(PatientAccessRow.EveryFacility)}) " +
                $"AND acc_a.valid_from <= {now} AND acc_a.valid_to > {now}");
        }

        var direct = DirectIds(access);
        if (direct.Count > 0)
        {
            sources.Add(string.Join(" UNION ALL ", direct.Select(id => $"SELECT {p.Add(id)}")));
        }

        if (sources.Count == 0)
        {
            return "";
        }

        var patients = string.Join(" UNION ALL ", sources);
        return type == "Patient"
            ? patients
            : $"SELECT acc_c.resource_key FROM idx_reference acc_c WHERE acc_c.target_id IN ({patients}) AND acc_c.target_type = 'Patient' AND acc_c.param_id IN ({compartment.ParamIdsSql(type)})";
    }

    private static List<string> DirectIds(FhirAccess access) =>
        [.. (access.Patients?.PatientIds ?? new HashSet<string>()).Concat(access.BreakGlassPatientIds).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Sensitive labels a patient's consent can deny that the caller could otherwise see.</summary>
    private static bool IsDeniable(string label) => SecurityLabels.Sensitive.Contains(label);

    private sealed class Context(FhirAccess access, string? type, string alias, SqlParameters p, AccessSql owner)
    {
        private string? _now;

        public List<string> Deniable { get; } = [.. access.PermittedSensitivity.Where(IsDeniable).Order(StringComparer.Ordinal)];

        private string Now => _now ??= p.Add(owner.Clock.GetUtcNow().UtcTicks);

        /// <summary>
        /// A condition on the row's patients (the Patient's own id, or the Patients its compartment references point at):
        /// some patient meets <paramref name="condition"/>, or with <paramref name="none"/> no patient does. Always true
        /// for reference-data types. A clinical row without any patient reference meets it only with <paramref name="none"/>,
        /// so only province-wide callers see it.
        /// </summary>
        public string ByPatient(Func<string, string> condition, bool none = false)
        {
            var not = none ? "NOT " : "";
            string Referenced(string? t) =>
                $"{not}EXISTS (SELECT 1 FROM idx_reference acc_c WHERE acc_c.resource_key = {alias}.resource_key AND acc_c.param_id IN ({owner.Compartment.ParamIdsSql(t)}) " +
                $"AND acc_c.target_type = 'Patient' AND {condition("acc_c.target_id")})";

            if (type is not null)
            {
                return !PatientCompartment.IsClinical(type) ? ""
                    : type == "Patient" ? $"{not}{condition($"{alias}.resource_id")}"
                    : Referenced(type);
            }

            var patientBranch = $"({alias}.resource_type = 'Patient' AND {not}{condition($"{alias}.resource_id")})";
            var otherBranch = $"({alias}.resource_type <> 'Patient' AND {Referenced(null)})";
            return $"({alias}.resource_type NOT IN ({PatientCompartment.ClinicalTypesSql}) OR {patientBranch} OR {otherBranch})";
        }

        /// <summary>The patient filter for one patient id expression (rules 3 and 4).</summary>
        public string Open(string patient)
        {
            var filter = access.Patients!;
            var grants = new List<string>();
            var direct = DirectIds(access);
            if (direct.Count > 0)
            {
                grants.Add($"{patient} IN ({string.Join(", ", direct.Select(p.Add))})");
            }

            string? care = null;
            if (filter.FacilityIds.Count > 0 && Deniable.Count == 0)
            {
                // Nothing to deny: care and consent sharing in one seek on the patient's rows (a shorter statement to
                // prepare and one subquery per row instead of two).
                var facilities = string.Join(", ", filter.FacilityIds.Order(StringComparer.Ordinal).Select(p.Add));
                grants.Add($"EXISTS (SELECT 1 FROM patient_access acc_a WHERE acc_a.patient_id = {patient} AND ((acc_a.kind = {(int)PatientAccessKind.Care} AND acc_a.target IN ({facilities})) " +
                    $"OR (acc_a.kind = {(int)PatientAccessKind.Share} AND acc_a.target IN ({facilities}, {p.Add(PatientAccessRow.EveryFacility)}) AND acc_a.valid_from <= {Now} AND acc_a.valid_to > {Now})))");
            }
            else if (filter.FacilityIds.Count > 0)
            {
                var facilities = string.Join(", ", filter.FacilityIds.Order(StringComparer.Ordinal).Select(p.Add));
                care = $"EXISTS (SELECT 1 FROM patient_access acc_a WHERE acc_a.patient_id = {patient} AND acc_a.kind = {(int)PatientAccessKind.Care} AND acc_a.target IN ({facilities}))";
                grants.Add($"EXISTS (SELECT 1 FROM patient_access acc_a WHERE acc_a.patient_id = {patient} AND acc_a.kind = {(int)PatientAccessKind.Share} " +
                    $"AND acc_a.target IN ({facilities}, {p.Add(PatientAccessRow.EveryFacility)}) AND acc_a.valid_from <= {Now} AND acc_a.valid_to > {Now})");
            }

            var opened = grants.Count == 0 ? null : "(" + string.Join(" OR ", grants) + ")";
            if (opened is not null && Deniable.Count > 0)
            {
                opened = $"({opened} AND NOT {Denied(patient)})";
            }

            var any = new[] { care, opened }.OfType<string>().ToList();
            return any.Count == 0 ? "1 = 0" : "(" + string.Join(" OR ", any) + ")";
        }

        /// <summary>The row carries a sensitive label that <paramref name="patient"/>'s active consent denies (rule 4).</summary>
        public string Denied(string patient) =>
            $"EXISTS (SELECT 1 FROM idx_token acc_l JOIN patient_access acc_d ON acc_d.patient_id = {patient} AND acc_d.kind = {(int)PatientAccessKind.Deny} AND acc_d.target = acc_l.code " +
            $"WHERE acc_l.resource_key = {alias}.resource_key AND acc_l.param_id IN ({owner.Compartment.SecurityParamIdsSql(type)}) AND acc_l.code IN ({string.Join(", ", Deniable.Select(p.Add))}) " +
            $"AND acc_l.system IN ({LabelSystems}) AND acc_d.valid_from <= {Now} AND acc_d.valid_to > {Now})";
    }

    private PatientCompartment Compartment => compartment;

    private TimeProvider Clock => clock;
}
