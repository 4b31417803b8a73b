namespace YTeSo.Access.Authorization;

/// <summary>Claim types the Access module puts in sessions and tokens.</summary>
internal static class AccessClaims
{
    /// <summary>Who the principal is: <see cref="Staff"/>, <see cref="Client"/> or <see cref="Citizen"/>.</summary>
    public const string Kind = "yteso_kind";

    /// <summary>The facility (FHIR Organization id) the principal acts for.</summary>
    public const string Facility = "yteso_facility";

    /// <summary>The staff role used in this session (one of StaffRoles).</summary>
    public const string Role = "yteso_role";

    /// <summary>SMART launch context: the patient an app works on, or the citizen's own Patient id.</summary>
    public const string Patient = "patient";

    /// <summary>A system client allowed to see sensitive labels.</summary>
    public const string SeesSensitive = "yteso_sensitive";

    public const string Staff = "staff";
    public const string Client = "client";
    public const string Citizen = "citizen";
}
