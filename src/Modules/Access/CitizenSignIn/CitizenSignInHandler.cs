using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using YTeSo.Access.Authorization;
using YTeSo.Access.Contracts;
using YTeSo.Access.Persistence;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace YTeSo.Access.CitizenSignIn;

/// <summary>
/// Citizen sign-in with a one-time code sent by SMS to the phone number on their Patient record (ADR 0009). Step one
/// answers the same whatever the outcome (record found or not, code sent or throttled), so the form cannot be used to
/// learn who is registered; step two accepts a code at most <see cref="CitizenSignInOptions.MaxAttempts"/> times, within
/// <see cref="CitizenSignInOptions.CodeMinutes"/>, once. Every step goes to the audit trail; the code never does.
/// </summary>
internal sealed class CitizenSignInHandler(
    AccessDbContext db, IFhirRepository fhir, ISmsGateway sms, IAuditTrail audit, CitizenSignInOptions options, TimeProvider clock)
{
    /// <summary>
    /// Looks the citizen up and, when the phone matches a number on their record, sends a code. Returns the id the
    /// browser sends back with the code: a random one nobody can use when no code was sent.
    /// </summary>
    public async Task<string> RequestCodeAsync(HttpContext context, string cccd, string mobile)
    {
        var cancellationToken = context.RequestAborted;
        var now = clock.GetUtcNow();
        var ip = context.Connection.RemoteIpAddress?.ToString();
        var patientIds = await FindRecordsAsync(cccd, mobile, cancellationToken);
        if (patientIds.Count == 0)
        {
            await AuditAsync(context, AuditOutcomes.Denied, Unknown(cccd, context), [], $"no record with CCCD {CitizenIdentifiers.Masked(cccd)} and this phone: no SMS sent", cancellationToken);
            return NewId();
        }

        var actor = CitizenActor(patientIds[0], context);
        var phoneKey = Hash(mobile);
        var recent = await db.CitizenSignInCodes.AsNoTracking()
            .Where(c => c.PhoneKey == phoneKey && c.CreatedAt > now.AddHours(-1))
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => new { c.Id, c.CreatedAt, c.ClosedAt })
            .ToListAsync(cancellationToken);
        var fromAddress = await db.CitizenSignInCodes.CountAsync(c => c.SourceIp == ip && c.CreatedAt > now.AddHours(-1), cancellationToken);
        var throttled = recent.Count > 0 && recent[0].CreatedAt > now.AddSeconds(-options.ResendSeconds) ? $"a code was sent less than {options.ResendSeconds} s ago"
            : recent.Count >= options.CodesPerPhonePerHour ? $"{recent.Count} codes to this phone in the last hour"
            : fromAddress >= options.CodesPerAddressPerHour ? $"{fromAddress} codes requested from this address in the last hour"
            : null;
        if (throttled is not null)
        {
            await AuditAsync(context, AuditOutcomes.Denied, actor, patientIds, $"code not sent: {throttled}", cancellationToken);
            // The code already sent stays valid, so a citizen who pressed twice can still use it.
            return recent.FirstOrDefault(c => c.ClosedAt is null)?.Id ?? NewId();
        }

        var id = NewId();
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        // One open code per phone: a new one replaces the old, so attempts cannot be spread over several codes.
        await db.CitizenSignInCodes.Where(c => c.PhoneKey == phoneKey && c.ClosedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedAt, now), cancellationToken);
        // Housekeeping: a day is more than the throttles look back.
        await db.CitizenSignInCodes.Where(c => c.CreatedAt < now.AddDays(-1)).ExecuteDeleteAsync(cancellationToken);
        db.CitizenSignInCodes.Add(new CitizenSignInCode
        {
            Id = id,
            PhoneKey = phoneKey,
            CodeHash = Hash(id + ":" + code),
            PatientIds = string.Join(' ', patientIds),
            SourceIp = ip,
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(options.CodeMinutes),
        });
        await db.SaveChangesAsync(cancellationToken);

        try
        {
            // Without diacritics: one GSM-7 SMS holds 160 characters, a Unicode one 70, and brand-name SMS is paid per part.
            await sms.SendAsync(mobile, string.Create(CultureInfo.InvariantCulture, $"YTeSo: ma dang nhap ho so suc khoe cua ban la {code}, hieu luc {options.CodeMinutes} phut. Khong dua ma nay cho bat ky ai."), cancellationToken);
        }
        catch (SmsDeliveryException e)
        {
            await db.CitizenSignInCodes.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedAt, now), cancellationToken);
            await AuditAsync(context, AuditOutcomes.Failed, actor, patientIds, $"SMS not delivered: {e.Message}", cancellationToken);
            return id;
        }

        await AuditAsync(context, AuditOutcomes.Success, actor, patientIds, "step 1 of 2: one-time code sent by SMS to the phone on record", cancellationToken);
        return id;
    }

    /// <summary>Checks the code and, when right, starts the citizen's session. False for every kind of refusal.</summary>
    public async Task<bool> VerifyAsync(HttpContext context, string challengeId, string code)
    {
        var cancellationToken = context.RequestAborted;
        var now = clock.GetUtcNow();
        code = new string([.. code.Where(c => !char.IsWhiteSpace(c))]);
        if (challengeId.Length is 0 or > 32)
        {
            await AuditAsync(context, AuditOutcomes.Denied, Unknown(null, context), [], "code given without a code request", cancellationToken);
            return false;
        }

        // Counting the attempt first, in one conditional UPDATE, keeps the limit exact when two web nodes (or two
        // tabs) check codes at the same time.
        var counted = await db.CitizenSignInCodes
            .Where(c => c.Id == challengeId && c.ClosedAt == null && c.ExpiresAt > now && c.Attempts < options.MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
        var stored = await db.CitizenSignInCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Id == challengeId, cancellationToken);
        if (stored is null)
        {
            await AuditAsync(context, AuditOutcomes.Denied, Unknown(null, context), [], "code for a request that sent no code", cancellationToken);
            return false;
        }

        var patientIds = stored.PatientIds.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var actor = CitizenActor(patientIds[0], context);
        if (counted == 0)
        {
            var why = stored.ClosedAt is not null ? "code already used, replaced or out of attempts" : stored.ExpiresAt <= now ? "code expired" : "code out of attempts";
            await AuditAsync(context, AuditOutcomes.Denied, actor, patientIds, why, cancellationToken);
            return false;
        }

        var right = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(challengeId + ":" + code)), Encoding.ASCII.GetBytes(stored.CodeHash));
        if (!right)
        {
            if (stored.Attempts >= options.MaxAttempts)
            {
                await db.CitizenSignInCodes.Where(c => c.Id == challengeId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedAt, now), cancellationToken);
            }

            await AuditAsync(context, AuditOutcomes.Denied, actor, patientIds, $"wrong code (attempt {stored.Attempts} of {options.MaxAttempts})", cancellationToken);
            return false;
        }

        // Single use: only the request that closes the code signs in.
        var closed = await db.CitizenSignInCodes.Where(c => c.Id == challengeId && c.ClosedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedAt, now), cancellationToken);
        if (closed == 0)
        {
            await AuditAsync(context, AuditOutcomes.Denied, actor, patientIds, "code already used", cancellationToken);
            return false;
        }

        var principal = await PrincipalAsync(patientIds, cancellationToken);
        await context.SignInAsync(CitizenSession.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        await AuditAsync(context, AuditOutcomes.Success, AccessResolver.ActorOf(principal, context), patientIds, "signed in with the one-time SMS code", cancellationToken);
        return true;
    }

    public async Task SignOutAsync(HttpContext context)
    {
        if (context.User.GetClaim(AccessClaims.Kind) == AccessClaims.Citizen)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.SignOut, AuditOutcomes.Success, AccessResolver.ActorOf(context.User, context)), context.RequestAborted);
        }

        await context.SignOutAsync(CitizenSession.Scheme);
    }

    /// <summary>The Patient records with this CCCD whose telecom holds this mobile number (only those: see ADR 0009).</summary>
    private async Task<List<string>> FindRecordsAsync(string cccd, string mobile, CancellationToken cancellationToken)
    {
        var page = await fhir.SearchAsync(
            FhirAccess.System("citizen sign-in: record lookup"),
            "Patient",
            [new("identifier", $"{CitizenIdentifiers.CccdSystem}|{cccd}"), new("_count", "20")],
            cancellationToken);
        return [.. page.Resources.OfType<Patient>()
            .Where(p => p.Active != false && p.Telecom.Any(t =>
                (t.System is null or ContactPoint.ContactPointSystem.Phone or ContactPoint.ContactPointSystem.Sms) && CitizenIdentifiers.NormalizeMobile(t.Value) == mobile))
            .Select(p => p.Id!)
            .Order(StringComparer.Ordinal)];
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(string[] patientIds, CancellationToken cancellationToken)
    {
        var patient = await fhir.ReadAsync(FhirAccess.System("citizen sign-in: name for the session"), "Patient", patientIds[0], cancellationToken) as Patient;
        var identity = new ClaimsIdentity(CitizenSession.Scheme, Claims.Name, Claims.Role);
        identity.AddClaim(new System.Security.Claims.Claim(AccessClaims.Kind, AccessClaims.Citizen));
        identity.AddClaim(new System.Security.Claims.Claim(Claims.Subject, "Patient/" + patientIds[0]));
        identity.AddClaim(new System.Security.Claims.Claim(Claims.Name, DisplayName(patient) ?? "Patient/" + patientIds[0]));
        identity.AddClaim(new System.Security.Claims.Claim(Claims.AuthenticationMethodReference, "sms"));
        foreach (var id in patientIds)
        {
            identity.AddClaim(new System.Security.Claims.Claim(AccessClaims.Patient, id));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>Vietnamese order: family name, then middle and given names ("Nguyễn Văn An").</summary>
    internal static string? DisplayName(Patient? patient)
    {
        var name = patient?.Name.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? patient?.Name.FirstOrDefault();
        if (name is null)
        {
            return null;
        }

        return !string.IsNullOrWhiteSpace(name.Text) ? name.Text : string.Join(' ', new[] { name.Family }.Concat(name.Given).Where(p => !string.IsNullOrWhiteSpace(p)));
    }

    private ValueTask AuditAsync(HttpContext context, string outcome, AuditActor actor, IReadOnlyList<string> patientIds, string detail, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(AuditActions.SignIn, outcome, actor, "Patient", [.. patientIds.Select(p => "Patient/" + p)], patientIds, Detail: "citizen: " + detail), cancellationToken);

    private static AuditActor CitizenActor(string patientId, HttpContext context) =>
        new($"{AccessClaims.Citizen}/Patient/{patientId}", "Patient/" + patientId, SourceIp: context.Connection.RemoteIpAddress?.ToString(), PurposeOfUse: "PATRQT");

    private static AuditActor Unknown(string? cccd, HttpContext context) =>
        new($"{AccessClaims.Citizen}/unknown", cccd is null ? "unknown" : "CCCD " + CitizenIdentifiers.Masked(cccd), SourceIp: context.Connection.RemoteIpAddress?.ToString());

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
