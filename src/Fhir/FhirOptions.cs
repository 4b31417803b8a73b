namespace YTeSo.Fhir;

/// <summary>The <c>Fhir</c> configuration section.</summary>
public sealed class FhirOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Fhir";

    /// <summary>
    /// Refuse writes whose local references ("Patient/123") point at nothing (422). On by default so the provincial
    /// record holds no dangling links; off only for loading reference material whose targets live elsewhere.
    /// </summary>
    public bool EnforceReferentialIntegrity { get; set; } = true;

    /// <summary>
    /// Request bodies larger than this are refused with 413 before parsing. FHIR sets no limit; a provincial hub needs
    /// one so a runaway client cannot exhaust memory. 16 MB holds a year of one patient's encounters as a transaction.
    /// </summary>
    public int MaxBodyMegabytes { get; set; } = 16;

    /// <summary>
    /// Finished <c>$export</c> jobs and their NDJSON files are deleted this long after the kick-off. Bulk Data lets a
    /// server expire its files; a copy of the province's records left on disk for ever is a leak waiting to happen.
    /// </summary>
    public int ExportRetentionHours { get; set; } = 24;

    /// <summary>
    /// How often pending resource changes (the outbox a module such as the MPI consumes) are retried when nothing wakes
    /// the worker: after a failed hand-over or a bulk import from another process.
    /// </summary>
    public TimeSpan ChangeRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal int MaxBodyBytes => checked(MaxBodyMegabytes * 1024 * 1024);
}
