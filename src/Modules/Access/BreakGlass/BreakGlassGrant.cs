namespace YTeSo.Access.BreakGlass;

/// <summary>
/// An emergency opening of one patient's record by one clinician, outside their facility scope, for a limited time.
/// Never deleted: the grant itself is the register the privacy officer reviews.
/// </summary>
internal sealed class BreakGlassGrant
{
    public long Id { get; set; }

    public string AccountId { get; set; } = string.Empty;

    public string AccountDisplay { get; set; } = string.Empty;

    public string FacilityId { get; set; } = string.Empty;

    public string PatientId { get; set; } = string.Empty;

    /// <summary>The clinician's reason, in their words (required).</summary>
    public string Reason { get; set; } = string.Empty;

    public DateTimeOffset GrantedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the privacy officer reviewed it, and who; null while unreviewed.</summary>
    public DateTimeOffset? ReviewedAt { get; set; }

    public string? ReviewedBy { get; set; }
}
