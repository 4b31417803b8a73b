using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using YTeSo.Access.Contracts;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;
using YTeSo.Registry.Facilities;
using YTeSo.Registry.Persistence;
using YTeSo.Registry.Practitioners;

namespace YTeSo.Registry.Licensing;

/// <summary>Settings of the licensing workflow (section <c>Registry:Licensing</c>).</summary>
public sealed class LicensingOptions
{
    public const string Section = "Registry:Licensing";

    /// <summary>
    /// Suffix of practice licence numbers: number/suffix, e.g. 000123/ĐL-GPHN. The printed form follows the common
    /// "number/province abbreviation-GPHN" usage; NĐ 96/2023 was not read for an official pattern (docs/registry.md).
    /// </summary>
    public string PracticeLicenceSuffix { get; set; } = "ĐL-GPHN";

    /// <summary>Suffix of facility operating licence numbers (giấy phép hoạt động), the same common usage: 000045/ĐL-GPHĐ.</summary>
    public string FacilityLicenceSuffix { get; set; } = "ĐL-GPHĐ";

    /// <summary>The Department that issues licences, printed on the certificate and recorded as the issuer.</summary>
    public string IssuerName { get; set; } = "Sở Y tế tỉnh Đắk Lắk";
}

/// <summary>A document the applicant uploads.</summary>
public sealed record ApplicationFile(string FileName, string ContentType, byte[] Content);

/// <summary>What the applicant fills in.</summary>
public sealed record ApplicationForm(
    string? ApplicantName, string? PersonalId, DateOnly? BirthDate, string? Phone, string? Profession, string? RequestedScope, string? FacilityCode);

/// <summary>A refused step: the field (or null for the whole request) and why, in Vietnamese for the page.</summary>
public sealed record ApplicationProblem(string? Field, string Message);

/// <summary>The result of a step: the application, or the problems that stopped it (nothing was changed then).</summary>
public sealed record ApplicationResult(LicenceApplicationView? Application, IReadOnlyList<ApplicationProblem> Problems, string? AccessKey = null)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>An application as both sides see it, with its history; attachments without their content.</summary>
public sealed record LicenceApplicationView(
    long Id, string Number, LicenceKind Kind, ApplicationStatus Status, string ApplicantName, string PersonalId, DateOnly BirthDate, string Phone,
    string Profession, string RequestedScope, string? FacilityCode, DateTimeOffset SubmittedAt, DateTimeOffset UpdatedAt,
    string? LicenceNumber, DateOnly? IssuedOn, string? GrantedScope, string? PractitionerId, string? VerificationCode,
    IReadOnlyList<ApplicationStepView> Steps, IReadOnlyList<ApplicationAttachmentView> Attachments);

public sealed record ApplicationStepView(DateTimeOffset At, ApplicationAction Action, string Actor, string? Note);

public sealed record ApplicationAttachmentView(long Id, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt);

/// <summary>
/// A licence as the public verification page shows it. <c>HolderName</c> is the practitioner, or the facility's name for
/// an operating licence; <c>Representative</c> is, for an operating licence, the person in charge who applied.
/// </summary>
public sealed record IssuedLicence(
    LicenceKind Kind, string LicenceNumber, string HolderName, string? Representative, DateOnly BirthDate, string Profession, string Scope, DateOnly IssuedOn, string Issuer, string Status, string ApplicationNumber);

/// <summary>
/// The Department's online licensing procedure: an applicant submits an application with attachments and follows it
/// with the application number and a key given once; an officer (role <c>licensing-officer</c>) asks for more, approves
/// or rejects; approval issues the licence with its number, records it on the holder's FHIR Practitioner, and makes a
/// certificate whose QR code opens the public verification page. Every step is kept in the application's history
/// (shown to the applicant) and in the platform's audit trail. Used for practice licences; facility operating licences
/// go through the same steps (issuing one is not built yet, docs/registry.md).
/// </summary>
internal sealed partial class LicensingWorkflow(
    RegistryDbContext db, IFhirRepository fhir, IAuditTrail audit, ISmsGateway sms, TimeProvider clock, IOptions<LicensingOptions> options, ILogger<LicensingWorkflow> logger)
{
    public const string ApplicantActor = "Người nộp hồ sơ";

    /// <summary>NĐ 96/2023 asks for copies of diplomas and certificates; 10 MB each keeps a scanned PDF.</summary>
    public const long MaxFileBytes = 10 * 1024 * 1024;

    public const int MaxFiles = 10;

    public static readonly IReadOnlySet<string> AllowedContentTypes = new HashSet<string>(["application/pdf", "image/jpeg", "image/png"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Chức danh chuyên môn of Luật KCB 2023 Điều 26 that the form offers.</summary>
    public static readonly IReadOnlyList<string> Professions = ["Bác sĩ", "Y sĩ", "Điều dưỡng", "Hộ sinh", "Kỹ thuật y", "Dinh dưỡng lâm sàng", "Cấp cứu viên ngoại viện", "Tâm lý lâm sàng"];

    public async Task<ApplicationResult> SubmitAsync(LicenceKind kind, ApplicationForm form, IReadOnlyList<ApplicationFile> files, CancellationToken cancellationToken)
    {
        var problems = Validate(kind, form, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Concat(ValidateFiles(files, required: true)).ToList();
        if (problems.Count > 0)
        {
            return new(null, problems);
        }

        var now = clock.GetUtcNow();
        var key = NewKey();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = new LicenceApplicationRow
        {
            Number = "tmp-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),   // unique until the id is known
            Kind = kind,
            Status = ApplicationStatus.Submitted,
            AccessKeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(key)),
            ApplicantName = form.ApplicantName!.Trim(),
            PersonalId = form.PersonalId!.Trim(),
            BirthDate = form.BirthDate!.Value,
            Phone = form.Phone!.Trim(),
            Profession = form.Profession!.Trim(),
            RequestedScope = form.RequestedScope!.Trim(),
            FacilityCode = string.IsNullOrWhiteSpace(form.FacilityCode) ? null : form.FacilityCode.Trim(),
            SubmittedAt = now,
            UpdatedAt = now,
        };
        db.LicenceApplications.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        // The number comes from the row's key, so two submissions at once cannot get the same one.
        row.Number = string.Create(CultureInfo.InvariantCulture, $"HS-{now.Year}-{row.Id:D6}");
        var step = AddStep(row, ApplicationAction.Submitted, ApplicantActor, null, now);
        await db.SaveChangesAsync(cancellationToken);
        AddFiles(row, step, files, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await RecordAsync(Applicant(row), row, ApplicationAction.Submitted, null, cancellationToken);
        return new(View(row), [], key);
    }

    /// <summary>The application for its number and key; null for a wrong pair (and nothing says which was wrong).</summary>
    public async Task<LicenceApplicationView?> FindForApplicantAsync(string? number, string? key, CancellationToken cancellationToken)
    {
        var row = await LoadForApplicantAsync(number, key, cancellationToken);
        return row is null ? null : View(row);
    }

    /// <summary>The applicant answers a request for information, with a note and more documents.</summary>
    public async Task<ApplicationResult> ProvideInformationAsync(string? number, string? key, string? note, IReadOnlyList<ApplicationFile> files, CancellationToken cancellationToken)
    {
        var row = await LoadForApplicantAsync(number, key, cancellationToken);
        if (row is null)
        {
            return new(null, [new(null, "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này.")]);
        }

        var problems = ValidateFiles(files, required: false).ToList();
        if (string.IsNullOrWhiteSpace(note) && files.Count == 0)
        {
            problems.Add(new("note", "Hãy ghi nội dung bổ sung hoặc đính kèm tài liệu."));
        }

        if (!row.Allows(ApplicationAction.InformationProvided))
        {
            problems.Add(new(null, "Hồ sơ không ở trạng thái chờ bổ sung."));
        }

        if (problems.Count > 0)
        {
            return new(View(row), problems);
        }

        var now = clock.GetUtcNow();
        var step = Move(row, ApplicationAction.InformationProvided, ApplicantActor, note, now);
        await db.SaveChangesAsync(cancellationToken);
        AddFiles(row, step, files, now);
        await db.SaveChangesAsync(cancellationToken);
        await RecordAsync(Applicant(row), row, ApplicationAction.InformationProvided, note, cancellationToken);
        return new(View(row), []);
    }

    public async Task<IReadOnlyList<LicenceApplicationView>> ListAsync(ApplicationStatus? status, int max, CancellationToken cancellationToken)
    {
        var query = db.LicenceApplications.AsNoTracking().Include(a => a.Steps).Include(a => a.Attachments).AsSplitQuery();
        if (status is not null)
        {
            query = query.Where(a => a.Status == status);
        }

        // Oldest waiting first: the Department works in the order applications arrived (ids grow with time).
        var rows = await query.OrderBy(a => a.Id).Take(max).ToListAsync(cancellationToken);
        return [.. rows.Select(View)];
    }

    public async Task<LicenceApplicationView?> GetAsync(FhirAccess officer, long id, CancellationToken cancellationToken)
    {
        var row = await LoadAsync(id, cancellationToken);
        if (row is not null)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.Read, AuditOutcomes.Success, officer.Actor, "LicenceApplication", [row.Number]), cancellationToken);
        }

        return row is null ? null : View(row);
    }

    public async Task<(string FileName, string ContentType, byte[] Content)?> AttachmentAsync(long applicationId, long attachmentId, CancellationToken cancellationToken)
    {
        var file = await db.ApplicationAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.ApplicationId == applicationId, cancellationToken);
        return file is null ? null : (file.FileName, file.ContentType, file.Content);
    }

    public async Task<ApplicationResult> RequestInformationAsync(FhirAccess officer, long id, string? note, CancellationToken cancellationToken) =>
        await DecideAsync(officer, id, ApplicationAction.InformationRequested, note, null, cancellationToken);

    public async Task<ApplicationResult> RejectAsync(FhirAccess officer, long id, string? note, CancellationToken cancellationToken) =>
        await DecideAsync(officer, id, ApplicationAction.Rejected, note, null, cancellationToken);

    /// <summary>Approves and issues the licence, with the scope granted (the requested one when empty).</summary>
    public async Task<ApplicationResult> ApproveAsync(FhirAccess officer, long id, string? note, string? grantedScope, CancellationToken cancellationToken) =>
        await DecideAsync(officer, id, ApplicationAction.Approved, note, grantedScope, cancellationToken);

    /// <summary>The licence behind a certificate's QR code, or null when the number and code do not match.</summary>
    public async Task<IssuedLicence?> VerifyAsync(string? licenceNumber, string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(licenceNumber) || string.IsNullOrEmpty(code))
        {
            return null;
        }

        var row = await db.LicenceApplications.AsNoTracking().FirstOrDefaultAsync(a => a.LicenceNumber == licenceNumber && a.Status == ApplicationStatus.Approved, cancellationToken);
        if (row?.VerificationCode is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(row.VerificationCode), Encoding.UTF8.GetBytes(code)))
        {
            return null;
        }

        if (row.Kind == LicenceKind.FacilityOperatingLicence)
        {
            var facility = await FacilityAsync(FhirAccess.System("licence verification"), row.FacilityCode, cancellationToken);
            // In force while the facility still carries the licence, its period has not ended and the facility is active.
            var held = facility?.Identifier.FirstOrDefault(i => i.System == FacilityVocabulary.LicenceSystem && i.Value == licenceNumber);
            var ended = held?.Period?.EndElement?.ToDateTimeOffset(TimeSpan.Zero) is { } end && end < clock.GetUtcNow();
            var facilityStatus = held is null || ended || facility!.Active == false ? "revoked" : "active";
            return new IssuedLicence(row.Kind, row.LicenceNumber!, facility?.Name ?? row.FacilityCode!, row.ApplicantName, row.BirthDate, row.Profession,
                row.GrantedScope ?? row.RequestedScope, row.IssuedOn!.Value, options.Value.IssuerName, facilityStatus, row.Number);
        }

        // The status is read from the registry's Practitioner, so a licence suspended or revoked after issue shows so.
        var status = "active";
        if (row.PractitionerId is not null && await fhir.ReadAsync(FhirAccess.System("licence verification"), "Practitioner", row.PractitionerId, cancellationToken) is Practitioner holder
            && PractitionerProfile.Qualification(holder, licenceNumber) is { } qualification)
        {
            status = PractitionerProfile.Status(qualification) ?? status;
        }

        return new IssuedLicence(row.Kind, row.LicenceNumber!, row.ApplicantName, null, row.BirthDate, row.Profession, row.GrantedScope ?? row.RequestedScope, row.IssuedOn!.Value, options.Value.IssuerName, status, row.Number);
    }

    public string IssuerName => options.Value.IssuerName;

    /// <summary>The registered facility with this code (its Organization), or null.</summary>
    public async Task<Organization?> FacilityAsync(FhirAccess access, string? facilityCode, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(facilityCode))
        {
            return null;
        }

        var found = await fhir.SearchAsync(access, "Organization", [new("identifier", $"{FacilityVocabulary.FacilityCodeSystem}|{facilityCode}")], cancellationToken);
        return found.Resources.OfType<Organization>().FirstOrDefault();
    }

    private async Task<ApplicationResult> DecideAsync(FhirAccess officer, long id, ApplicationAction action, string? note, string? grantedScope, CancellationToken cancellationToken)
    {
        var row = await LoadAsync(id, cancellationToken);
        if (row is null)
        {
            return new(null, [new(null, "Không có hồ sơ này.")]);
        }

        if (!row.Allows(action))
        {
            return new(View(row), [new(null, $"Hồ sơ đang ở trạng thái {row.Status}; không thể {action}.")]);
        }

        if (action is ApplicationAction.InformationRequested or ApplicationAction.Rejected && string.IsNullOrWhiteSpace(note))
        {
            return new(View(row), [new("note", action == ApplicationAction.Rejected ? "Hãy ghi lý do từ chối." : "Hãy ghi nội dung cần bổ sung.")]);
        }

        var now = clock.GetUtcNow();
        if (action == ApplicationAction.Approved)
        {
            var issued = await IssueAsync(officer, row, string.IsNullOrWhiteSpace(grantedScope) ? null : grantedScope.Trim(), now, cancellationToken);
            if (issued.Count > 0)
            {
                return new(View(row), issued);
            }
        }

        Move(row, action, officer.Actor.Display, note, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(null, [new(null, "Hồ sơ vừa được người khác xử lý; hãy tải lại trang.")]);
        }

        await RecordAsync(officer.Actor, row, action, note, cancellationToken);
        await NotifyAsync(row, action, cancellationToken);
        return new(View(row), []);
    }

    /// <summary>
    /// Tells the applicant by SMS that the Department has acted. Best effort: the decision stands whatever the provider
    /// says, and the application page shows the same. Without diacritics so that it fits one 160-character SMS (with
    /// them, one SMS holds 70), as Vietnamese service messages usually are.
    /// </summary>
    private async Task NotifyAsync(LicenceApplicationRow row, ApplicationAction action, CancellationToken cancellationToken)
    {
        var text = action switch
        {
            ApplicationAction.InformationRequested => $"So Y te: ho so {row.Number} can bo sung. Xem noi dung tai muc Tra cuu ho so cap phep.",
            ApplicationAction.Approved => $"So Y te: ho so {row.Number} da duoc cap giay phep so {row.LicenceNumber}.",
            ApplicationAction.Rejected => $"So Y te: ho so {row.Number} khong duoc chap thuan. Xem ly do tai muc Tra cuu ho so cap phep.",
            _ => null,
        };
        if (text is null)
        {
            return;
        }

        try
        {
            // A Vietnamese mobile number 0xxxxxxxxx is +84xxxxxxxxx (E.164, what the gateway takes).
            await sms.SendAsync("+84" + row.Phone[1..], text, cancellationToken);
        }
        catch (SmsDeliveryException e)
        {
            LogNotificationFailed(logger, row.Number, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SMS about licence application {Number} was not sent: {Reason}")]
    private static partial void LogNotificationFailed(ILogger logger, string number, string reason);

    /// <summary>
    /// Reserves the licence number (committed first, so a retry after a crash reuses it), then writes the licence onto
    /// the holder's Practitioner: the one with the applicant's CCCD if the registry has one, otherwise a new one with an
    /// id fixed by the application, so writing twice changes one record.
    /// </summary>
    private async Task<IReadOnlyList<ApplicationProblem>> IssueAsync(FhirAccess officer, LicenceApplicationRow row, string? grantedScope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // An operating licence is written onto the facility's Organization, so the facility must be registered first.
        var facility = row.Kind == LicenceKind.FacilityOperatingLicence ? await FacilityAsync(officer, row.FacilityCode, cancellationToken) : null;
        if (row.Kind == LicenceKind.FacilityOperatingLicence && facility is null)
        {
            return [new("facilityCode", $"Cơ sở có mã {row.FacilityCode} chưa có trong sổ đăng ký cơ sở khám bệnh, chữa bệnh; hãy đăng ký cơ sở (/co-so) trước khi cấp giấy phép hoạt động.")];
        }

        if (row.LicenceNumber is null)
        {
            var sequence = (await db.LicenceApplications.Where(a => a.Kind == row.Kind && a.LicenceSequence != null).MaxAsync(a => a.LicenceSequence, cancellationToken) ?? 0) + 1;
            row.LicenceSequence = sequence;
            var suffix = row.Kind == LicenceKind.FacilityOperatingLicence ? options.Value.FacilityLicenceSuffix : options.Value.PracticeLicenceSuffix;
            row.LicenceNumber = string.Create(CultureInfo.InvariantCulture, $"{sequence:D6}/{suffix}");
            row.IssuedOn = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(7)).Date);   // the Department's day (UTC+7)
            row.VerificationCode = Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
            row.GrantedScope = grantedScope ?? row.RequestedScope;
            row.Revision++;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                return [new(null, "Hồ sơ vừa được người khác xử lý hoặc số giấy phép vừa được cấp cho hồ sơ khác; hãy thử lại.")];
            }
        }

        try
        {
            if (facility is not null)
            {
                await WriteFacilityLicenceAsync(officer, row, facility, cancellationToken);
            }
            else
            {
                row.PractitionerId = await WritePractitionerAsync(officer, row, cancellationToken);
            }
        }
        catch (Exception e) when (FhirRefusal.TryGet(e, out var status, out var outcome))
        {
            var reasons = string.Join(" ", outcome.Issue.Select(i => i.Diagnostics));
            return [new(null, $"Sổ đăng ký từ chối ghi giấy phép ({status}): {reasons}")];
        }

        return [];
    }

    /// <summary>The operating licence as the facility profile records it: an identifier on the Organization (docs/registry.md).</summary>
    private async Task WriteFacilityLicenceAsync(FhirAccess officer, LicenceApplicationRow row, Organization facility, CancellationToken cancellationToken)
    {
        if (facility.Identifier.Any(i => i.System == FacilityVocabulary.LicenceSystem && i.Value == row.LicenceNumber))
        {
            return;   // written by an earlier attempt that died before recording the step
        }

        facility.Identifier.Add(new Identifier(FacilityVocabulary.LicenceSystem, row.LicenceNumber)
        {
            Type = new CodeableConcept { Text = "Giấy phép hoạt động" },
            Period = new Period { Start = row.IssuedOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
        });
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = facility, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Organization/{facility.Id}" } });
        await fhir.ProcessBundleAsync(officer, bundle, cancellationToken);
    }

    private async Task<string> WritePractitionerAsync(FhirAccess officer, LicenceApplicationRow row, CancellationToken cancellationToken)
    {
        var byCccd = await fhir.SearchAsync(officer, "Practitioner", [new("identifier", $"{RegistrySystems.Cccd}|{row.PersonalId}")], cancellationToken);
        var practitioner = byCccd.Resources.OfType<Practitioner>().FirstOrDefault() ?? new Practitioner
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"gphn-{row.Id}"),
            Identifier = [new Identifier(RegistrySystems.Cccd, row.PersonalId)],
            Active = true,
            Name = [ToName(row.ApplicantName)],
            BirthDate = row.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, row.Phone)],
        };

        if (!PractitionerProfile.Licences(practitioner).Any(i => i.Value == row.LicenceNumber))
        {
            var issued = row.IssuedOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            practitioner.Identifier.Add(new Identifier(PractitionerProfile.LicenceSystem, row.LicenceNumber) { Period = new Period { Start = issued } });
            var qualification = new Practitioner.QualificationComponent
            {
                Identifier = [new Identifier(PractitionerProfile.LicenceSystem, row.LicenceNumber)],
                Code = new CodeableConcept { Text = $"{row.Profession}: {row.GrantedScope}" },
                Period = new Period { Start = issued },
                Issuer = new ResourceReference { Display = options.Value.IssuerName },
            };
            qualification.SetExtension(PractitionerProfile.LicenceStatusExtension, new Code("active"));
            practitioner.Qualification.Add(qualification);
        }

        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = practitioner, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Practitioner/{practitioner.Id}" } });
        await fhir.ProcessBundleAsync(officer, bundle, cancellationToken);
        return practitioner.Id!;
    }

    /// <summary>Vietnamese order: family name first, given names last ("Nguyễn Thị Lan": family Nguyễn).</summary>
    private static HumanName ToName(string full)
    {
        var parts = full.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new HumanName { Use = HumanName.NameUse.Official, Family = parts[0], Given = parts.Skip(1), Text = string.Join(' ', parts) };
    }

    private static IEnumerable<ApplicationProblem> Validate(LicenceKind kind, ApplicationForm form, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(form.ApplicantName) || form.ApplicantName.Trim().Length > 200 || !form.ApplicantName.Trim().Contains(' ', StringComparison.Ordinal))
        {
            yield return new("applicantName", "Hãy ghi đầy đủ họ và tên (họ, tên đệm và tên).");
        }

        // Nghị định 137/2015 and the CCCD law: the personal identification number has 12 digits.
        if (form.PersonalId?.Trim() is not { Length: 12 } id || !id.All(char.IsAsciiDigit))
        {
            yield return new("personalId", "Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.");
        }

        if (form.BirthDate is not { } birth || birth > today.AddYears(-18) || birth < today.AddYears(-100))
        {
            yield return new("birthDate", "Ngày sinh không hợp lệ: người hành nghề phải từ đủ 18 tuổi.");
        }

        if (form.Phone?.Trim() is not { Length: >= 10 and <= 11 } phone || !phone.All(char.IsAsciiDigit) || phone[0] != '0')
        {
            yield return new("phone", "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0.");
        }

        // The person in charge of a facility's professional work holds a practice licence with a title too (Luật KCB Điều 49).
        if (string.IsNullOrWhiteSpace(form.Profession) || !Professions.Contains(form.Profession.Trim()))
        {
            yield return new("profession", "Hãy chọn chức danh chuyên môn trong danh sách.");
        }

        if (string.IsNullOrWhiteSpace(form.RequestedScope))
        {
            yield return new("requestedScope", "Hãy ghi phạm vi hoạt động chuyên môn đề nghị.");
        }
        else if (form.RequestedScope.Length > 1000)
        {
            yield return new("requestedScope", "Phạm vi hoạt động chuyên môn dài quá 1.000 ký tự.");
        }

        if (kind == LicenceKind.FacilityOperatingLicence && string.IsNullOrWhiteSpace(form.FacilityCode))
        {
            yield return new("facilityCode", "Giấy phép hoạt động cấp cho một cơ sở: hãy ghi mã cơ sở khám bệnh, chữa bệnh.");
        }
        else if (!string.IsNullOrWhiteSpace(form.FacilityCode) && (form.FacilityCode.Trim().Length != 5 || !form.FacilityCode.Trim().All(char.IsAsciiLetterOrDigit)))
        {
            yield return new("facilityCode", "Mã cơ sở khám bệnh, chữa bệnh gồm 5 ký tự.");
        }
    }

    private static IEnumerable<ApplicationProblem> ValidateFiles(IReadOnlyList<ApplicationFile> files, bool required)
    {
        if (required && files.Count == 0)
        {
            yield return new("files", "Hãy đính kèm bản sao văn bằng chuyên môn và giấy tờ theo quy định.");
        }

        if (files.Count > MaxFiles)
        {
            yield return new("files", $"Tối đa {MaxFiles} tệp cho mỗi lần nộp.");
        }

        foreach (var file in files)
        {
            if (!AllowedContentTypes.Contains(file.ContentType) || !MatchesSignature(file))
            {
                yield return new("files", $"Tệp '{file.FileName}' phải là PDF, JPEG hoặc PNG.");
            }
            else if (file.Content.Length == 0 || file.Content.Length > MaxFileBytes)
            {
                yield return new("files", $"Tệp '{file.FileName}' rỗng hoặc lớn hơn 10 MB.");
            }
        }
    }

    /// <summary>The first bytes must agree with the declared type, so a renamed executable is not stored as a "PDF".</summary>
    private static bool MatchesSignature(ApplicationFile file)
    {
        ReadOnlySpan<byte> content = file.Content;
        return file.ContentType.ToLowerInvariant() switch
        {
            "application/pdf" => content.StartsWith("%PDF-"u8),
            "image/jpeg" => content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
            "image/png" => content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            _ => false,
        };
    }

    private async Task<LicenceApplicationRow?> LoadForApplicantAsync(string? number, string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(number) || string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var wanted = number.Trim().ToUpperInvariant();   // numbers are stored upper-case (HS-2026-000001)
        var row = await db.LicenceApplications.Include(a => a.Steps).Include(a => a.Attachments).AsSplitQuery()
            .FirstOrDefaultAsync(a => a.Number == wanted, cancellationToken);
        return row is not null && CryptographicOperations.FixedTimeEquals(row.AccessKeyHash, SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim().ToUpperInvariant()))) ? row : null;
    }

    private Task<LicenceApplicationRow?> LoadAsync(long id, CancellationToken cancellationToken) =>
        db.LicenceApplications.Include(a => a.Steps).Include(a => a.Attachments).AsSplitQuery().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);

    private static ApplicationStepRow Move(LicenceApplicationRow row, ApplicationAction action, string actor, string? note, DateTimeOffset now)
    {
        row.Status = LicenceApplicationRow.After(action);
        row.UpdatedAt = now;
        row.Revision++;
        return AddStep(row, action, actor, note, now);
    }

    private static ApplicationStepRow AddStep(LicenceApplicationRow row, ApplicationAction action, string actor, string? note, DateTimeOffset now)
    {
        var step = new ApplicationStepRow { At = now, Action = action, Actor = actor, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim() };
        row.Steps.Add(step);
        return step;
    }

    private static void AddFiles(LicenceApplicationRow row, ApplicationStepRow step, IReadOnlyList<ApplicationFile> files, DateTimeOffset now)
    {
        foreach (var file in files)
        {
            row.Attachments.Add(new ApplicationAttachmentRow
            {
                StepId = step.Id,
                FileName = Path.GetFileName(file.FileName),
                ContentType = file.ContentType.ToLowerInvariant(),
                Size = file.Content.Length,
                Sha256 = SHA256.HashData(file.Content),
                Content = file.Content,
                UploadedAt = now,
            });
        }
    }

    private async Task RecordAsync(AuditActor actor, LicenceApplicationRow row, ApplicationAction action, string? note, CancellationToken cancellationToken) =>
        await audit.RecordAsync(
            new AuditRecord(AuditActions.Operation, AuditOutcomes.Success, actor, "LicenceApplication", [row.Number],
                Query: $"licence-application={row.Number}&action={action}&status={row.Status}" + (row.LicenceNumber is null ? "" : $"&licence={Uri.EscapeDataString(row.LicenceNumber)}"),
                Detail: note),
            cancellationToken);

    private static AuditActor Applicant(LicenceApplicationRow row) => new($"applicant/{row.Number}", $"{ApplicantActor} {row.Number}");

    /// <summary>12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 60 bits.</summary>
    private static string NewKey()
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        return string.Create(12, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    private static LicenceApplicationView View(LicenceApplicationRow row) => new(
        row.Id, row.Number, row.Kind, row.Status, row.ApplicantName, row.PersonalId, row.BirthDate, row.Phone, row.Profession, row.RequestedScope, row.FacilityCode,
        row.SubmittedAt, row.UpdatedAt, row.LicenceNumber, row.IssuedOn, row.GrantedScope, row.PractitionerId, row.VerificationCode,
        [.. row.Steps.OrderBy(s => s.Id).Select(s => new ApplicationStepView(s.At, s.Action, s.Actor, s.Note))],
        [.. row.Attachments.OrderBy(a => a.Id).Select(a => new ApplicationAttachmentView(a.Id, a.FileName, a.ContentType, a.Size, Convert.ToHexString(a.Sha256).ToLowerInvariant(), a.UploadedAt))]);
}

/// <summary>Identifier systems the Registry writes (the same URIs as the rest of the platform).</summary>
internal static class RegistrySystems
{
    public const string Cccd = "https://yteso.vn/fhir/sid/cccd";
}
