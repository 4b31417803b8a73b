namespace YTeSo.Platform.Auditing;

/// <summary>
/// Who acted: the person or system behind a request, as the audit trail records it. Built once per request by the
/// access layer from the signed-in principal or the access token.
/// </summary>
/// <param name="Id">Stable account or client id (e.g. <c>staff/3f2a…</c>, <c>client/his-bv-tinh</c>, <c>citizen/Patient/123</c>).</param>
/// <param name="Display">Human-readable name for auditors (username or client name; never a patient's clinical data).</param>
/// <param name="Role">The role the actor used (e.g. <c>doctor</c>), null for system clients without a role.</param>
/// <param name="FacilityId">The facility (FHIR Organization id) the actor acted for; null for province-wide actors.</param>
/// <param name="ClientId">The OAuth client (application) the request came through; null for the staff web UI.</param>
/// <param name="SourceIp">The caller's IP address as the server saw it.</param>
/// <param name="PurposeOfUse">v3 PurposeOfUse code (<c>TREAT</c>, <c>ETREAT</c> for break-glass, <c>HOPERAT</c>, <c>PUBHLTH</c>…).</param>
public sealed record AuditActor(
    string Id,
    string Display,
    string? Role = null,
    string? FacilityId = null,
    string? ClientId = null,
    string? SourceIp = null,
    string? PurposeOfUse = null)
{
    /// <summary>The platform itself (imports, seeding, background jobs started by an operator at the console).</summary>
    public static AuditActor System(string display) => new("system", display, PurposeOfUse: "HOPERAT");
}

/// <summary>What happened, for one audited action. The trail assigns the sequence number, time and hash.</summary>
/// <param name="Action">One of <see cref="AuditActions"/>.</param>
/// <param name="Outcome">One of <see cref="AuditOutcomes"/>.</param>
/// <param name="Actor">Who acted.</param>
/// <param name="ResourceType">The FHIR resource type acted on, when there is one.</param>
/// <param name="ResourceIds">References (<c>Type/id</c>) read, written or returned.</param>
/// <param name="PatientIds">Ids of the patients whose data was touched (for a search: the patients returned).</param>
/// <param name="Query">The search or operation parameters, as sent (never a body).</param>
/// <param name="BreakGlass">True when access used an emergency (break-glass) grant.</param>
/// <param name="Detail">A short reason: the error, the break-glass reason, the permission changed.</param>
public sealed record AuditRecord(
    string Action,
    string Outcome,
    AuditActor Actor,
    string? ResourceType = null,
    IReadOnlyList<string>? ResourceIds = null,
    IReadOnlyList<string>? PatientIds = null,
    string? Query = null,
    bool BreakGlass = false,
    string? Detail = null);

/// <summary>Action codes of the trail (kept short and stable: auditors search by them).</summary>
public static class AuditActions
{
    public const string Read = "read";
    public const string VersionRead = "vread";
    public const string Search = "search";
    public const string History = "history";
    public const string Create = "create";
    public const string Update = "update";
    public const string Patch = "patch";
    public const string Delete = "delete";
    public const string Export = "export";
    public const string Operation = "operation";
    public const string SignIn = "sign-in";
    public const string SignOut = "sign-out";
    public const string TokenIssued = "token";
    public const string PermissionChange = "permission-change";
    public const string BreakGlass = "break-glass";
}

/// <summary>Outcome codes of the trail.</summary>
public static class AuditOutcomes
{
    public const string Success = "success";

    /// <summary>Refused by access rules (401/403, locked out, wrong password).</summary>
    public const string Denied = "denied";

    /// <summary>The request was understood and allowed but failed (400, 404, 409, 412, 422…).</summary>
    public const string Failed = "failed";
}

/// <summary>
/// The append-only, tamper-evident audit trail. <see cref="RecordAsync"/> completes only when the record is durable,
/// so a caller that awaits it before answering never answers an unaudited request.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Appends one record; completes once it is durably stored (records are committed in batches).</summary>
    ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken);
}
