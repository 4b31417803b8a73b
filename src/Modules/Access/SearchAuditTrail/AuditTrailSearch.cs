using System.Globalization;
using Microsoft.AspNetCore.Http;
using YTeSo.Access.Authorization;
using YTeSo.Platform.Auditing;

namespace YTeSo.Access.SearchAuditTrail;

/// <summary>
/// What an auditor asks the trail, as typed in the page or the API. Days are Vietnamese calendar days
/// (<c>dd/MM/yyyy</c> in the page, <c>yyyy-MM-dd</c> also accepted), <see cref="To"/> included.
/// </summary>
public sealed record AuditTrailQuery(
    string? From = null,
    string? To = null,
    string? Actor = null,
    string? Patient = null,
    string? Action = null,
    string? Outcome = null,
    bool BreakGlass = false,
    long? Before = null);

/// <summary>
/// The auditor's search of the trail (issue 3: "searchable by auditors in the UI"), for the page and the API alike.
/// Reading the trail is itself recorded, with the patients the page showed: knowing who was treated where is
/// personal data too.
/// </summary>
internal sealed class AuditTrailSearch(AuditQuery query, AuditVerifier verifier, IAuditTrail audit)
{
    public const int PageSize = 50;
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7); // ICT, no daylight saving
    private static readonly string[] DayFormats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"];

    /// <summary>The filter for <paramref name="request"/>, or the name of the field that cannot be read.</summary>
    public static (AuditFilter? Filter, string? BadField) Filter(AuditTrailQuery request)
    {
        if (!TryDay(request.From, out var from))
        {
            return (null, nameof(request.From));
        }

        if (!TryDay(request.To, out var to))
        {
            return (null, nameof(request.To));
        }

        if (request.Outcome is { Length: > 0 } outcome && outcome is not (AuditOutcomes.Success or AuditOutcomes.Denied or AuditOutcomes.Failed))
        {
            return (null, nameof(request.Outcome));
        }

        return (new AuditFilter
        {
            From = from,
            To = to?.AddDays(1),
            ActorId = Blank(request.Actor),
            PatientId = Blank(request.Patient),
            Action = Blank(request.Action),
            Outcome = Blank(request.Outcome),
            BreakGlassOnly = request.BreakGlass,
        }, null);
    }

    public async Task<AuditPage> SearchAsync(HttpContext context, AuditFilter filter, long? before, int count = PageSize)
    {
        var page = await query.SearchAsync(filter, before, count, context.RequestAborted);
        var patients = page.Records.SelectMany(r => r.Record.PatientIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        await audit.RecordAsync(
            new AuditRecord(AuditActions.Search, AuditOutcomes.Success, AccessResolver.ActorOf(context.User, context), "AuditEvent", PatientIds: patients, Query: context.Request.QueryString.Value),
            context.RequestAborted);
        return page;
    }

    /// <summary>The chain's head (seq and hash): what an auditor copies out as an anchor for <c>yteso audit verify</c>.</summary>
    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken) => verifier.ReadHeadAsync(cancellationToken);

    /// <summary>An instant as Vietnam's clocks read it.</summary>
    public static DateTimeOffset InVietnam(DateTimeOffset when) => when.ToOffset(VietnamOffset);

    private static bool TryDay(string? text, out DateTimeOffset? start)
    {
        start = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text.Trim(), DayFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }

        start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), VietnamOffset);
        return true;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
