namespace YTeSo.Registry.Licensing;

/// <summary>What is applied for: a practice licence (giấy phép hành nghề) or a facility operating licence (giấy phép hoạt động).</summary>
public enum LicenceKind
{
    PracticeLicence,
    FacilityOperatingLicence,
}

/// <summary>Where an application stands; the applicant and the Department see the same.</summary>
public enum ApplicationStatus
{
    /// <summary>Waiting for the Department (new, or the applicant answered a request).</summary>
    Submitted,

    /// <summary>The Department asked for more; waiting for the applicant.</summary>
    InformationRequested,

    Approved,
    Rejected,
}

/// <summary>One step of the application's history, shown to the applicant and kept in the audit trail.</summary>
public enum ApplicationAction
{
    Submitted,
    InformationRequested,
    InformationProvided,
    Approved,
    Rejected,
}

/// <summary>
/// An application as the Department receives it (thủ tục cấp giấy phép hành nghề, Luật KCB 15/2023/QH15 and NĐ
/// 96/2023/NĐ-CP): who applies, for what, and the state machine it moves through. Only the transitions below exist;
/// approval and rejection are final.
/// </summary>
internal sealed class LicenceApplicationRow
{
    public long Id { get; set; }

    /// <summary>The application number (mã hồ sơ) the applicant uses to follow it: HS-yyyy-nnnnnn.</summary>
    public string Number { get; set; } = "";

    public LicenceKind Kind { get; set; }

    public ApplicationStatus Status { get; set; }

    /// <summary>SHA-256 of the follow-up key given to the applicant once; the key itself is never stored.</summary>
    public byte[] AccessKeyHash { get; set; } = [];

    public string ApplicantName { get; set; } = "";

    /// <summary>The applicant's 12-digit personal identification number (CCCD), printed on the licence.</summary>
    public string PersonalId { get; set; } = "";

    public DateOnly BirthDate { get; set; }

    public string Phone { get; set; } = "";

    /// <summary>Chức danh chuyên môn (bác sĩ, y sĩ, điều dưỡng, hộ sinh, kỹ thuật y, dược sĩ...).</summary>
    public string Profession { get; set; } = "";

    /// <summary>Phạm vi hoạt động chuyên môn requested, as the applicant wrote it.</summary>
    public string RequestedScope { get; set; } = "";

    /// <summary>The facility (5-character code) where the applicant works or will work, if any.</summary>
    public string? FacilityCode { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Reserved when the officer approves, before the Practitioner is written, so a retry reuses it.</summary>
    public string? LicenceNumber { get; set; }

    public long? LicenceSequence { get; set; }

    public DateOnly? IssuedOn { get; set; }

    /// <summary>The scope granted, which may be narrower than the one requested.</summary>
    public string? GrantedScope { get; set; }

    /// <summary>The licence holder's Practitioner in the FHIR store.</summary>
    public string? PractitionerId { get; set; }

    /// <summary>Random code printed in the certificate's QR link; without it the verification page shows nothing.</summary>
    public string? VerificationCode { get; set; }

    /// <summary>Optimistic concurrency: two officers deciding at once cannot both succeed.</summary>
    public int Revision { get; set; }

    public List<ApplicationStepRow> Steps { get; set; } = [];

    public List<ApplicationAttachmentRow> Attachments { get; set; } = [];

    /// <summary>The state machine: what may happen next from <see cref="Status"/>.</summary>
    public bool Allows(ApplicationAction action) => (Status, action) switch
    {
        (ApplicationStatus.Submitted, ApplicationAction.InformationRequested) => true,
        (ApplicationStatus.Submitted, ApplicationAction.Approved) => true,
        (ApplicationStatus.Submitted, ApplicationAction.Rejected) => true,
        (ApplicationStatus.InformationRequested, ApplicationAction.InformationProvided) => true,
        (ApplicationStatus.InformationRequested, ApplicationAction.Rejected) => true,
        _ => false,
    };

    public static ApplicationStatus After(ApplicationAction action) => action switch
    {
        ApplicationAction.Submitted or ApplicationAction.InformationProvided => ApplicationStatus.Submitted,
        ApplicationAction.InformationRequested => ApplicationStatus.InformationRequested,
        ApplicationAction.Approved => ApplicationStatus.Approved,
        ApplicationAction.Rejected => ApplicationStatus.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}

/// <summary>One step: who did what, when, and what they wrote (the request, the answer, the reason).</summary>
internal sealed class ApplicationStepRow
{
    public long Id { get; set; }

    public long ApplicationId { get; set; }

    public DateTimeOffset At { get; set; }

    public ApplicationAction Action { get; set; }

    /// <summary>"Người nộp hồ sơ" for the applicant, the officer's display name otherwise.</summary>
    public string Actor { get; set; } = "";

    public string? Note { get; set; }
}

/// <summary>A document attached to an application (diploma, practice confirmation, health certificate...).</summary>
internal sealed class ApplicationAttachmentRow
{
    public long Id { get; set; }

    public long ApplicationId { get; set; }

    /// <summary>The step it came with (the submission, or an answer to a request).</summary>
    public long? StepId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long Size { get; set; }

    public byte[] Sha256 { get; set; } = [];

    public byte[] Content { get; set; } = [];

    public DateTimeOffset UploadedAt { get; set; }
}
