using System.Security.Claims;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using YTeSo.Access.Contracts;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.Patients.MergePatients;

/// <summary>A merge or unmerge refused with a FHIR status and an OperationOutcome; nothing has been written.</summary>
internal sealed class MergeRefusedException(int status, OperationOutcome outcome) : Exception(outcome.Issue.FirstOrDefault()?.Diagnostics)
{
    public int Status { get; } = status;

    public OperationOutcome Outcome { get; } = outcome;

    public static MergeRefusedException Of(int status, OperationOutcome.IssueType code, string message) =>
        new(status, new OperationOutcome { Issue = [new() { Severity = OperationOutcome.IssueSeverity.Error, Code = code, Diagnostics = message }] });
}

/// <summary>Who may merge, the FHIR JSON in and out, the audit record of the decision and the event after commit.</summary>
internal static class MergeSupport
{
    /// <summary>The OAuth scope of the MPI steward (docs/mpi.md): merging and unmerging patients.</summary>
    public const string Scope = "yteso/mpi";

    private static readonly FhirJsonDeserializer Parser = new();
    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    /// <summary>
    /// A merge moves every reference of a person across facilities, so it needs the steward's scope, province-wide
    /// access and update on Patient (the repository checks update on every re-pointed type in the transaction itself).
    /// </summary>
    public static void Authorize(ClaimsPrincipal user, FhirAccess access)
    {
        if (!IsSteward(user))
        {
            throw MergeRefusedException.Of(403, OperationOutcome.IssueType.Forbidden, $"Merging and unmerging patients needs scope {Scope} or the MPI steward's role ({StaffRoles.MpiSteward}).");
        }

        if (access.Patients is not null || !access.Allows("Patient", FhirInteractions.Update | FhirInteractions.Read))
        {
            throw MergeRefusedException.Of(403, OperationOutcome.IssueType.Forbidden, "Merging and unmerging patients needs province-wide access with scope */Patient.ru.");
        }
    }

    /// <summary>
    /// A client granted <see cref="Scope"/>, or a staff session in the steward's role. Either way the request's
    /// <see cref="FhirAccess"/> must also be province-wide: the resolver re-checks the role on every request.
    /// </summary>
    public static bool IsSteward(ClaimsPrincipal user) =>
        user.HasScope(Scope) || StaffRoles.SessionRole(user) == StaffRoles.MpiSteward;

    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : Resource
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        try
        {
            return Parser.Deserialize<T>(text);
        }
        catch (Exception e) when (e is DeserializationFailedException or FormatException or System.Text.Json.JsonException)
        {
            throw MergeRefusedException.Of(400, OperationOutcome.IssueType.Structure, $"The body is not a FHIR JSON {typeof(T).Name}: {e.Message}");
        }
    }

    public static ContentHttpResult Fhir(int status, Resource resource) =>
        TypedResults.Text(Serializer.SerializeToString(resource), "application/fhir+json", System.Text.Encoding.UTF8, status);

    /// <summary>A repository refusal (412 on a concurrent change, 403, 422...) as the merge's own refusal.</summary>
    public static Exception Translate(Exception error) =>
        FhirRefusal.TryGet(error, out var status, out var outcome) ? new MergeRefusedException(status, outcome) : error;

    public static ValueTask AuditAsync(IAuditTrail trail, FhirAccess access, string outcome, string query, string source, string target, string? detail, CancellationToken cancellationToken) =>
        trail.RecordAsync(new AuditRecord(AuditActions.Operation, outcome, access.Actor, "Patient", [$"Patient/{source}", $"Patient/{target}"], [source, target], Query: query, Detail: detail), cancellationToken);

    /// <summary>Tells every listener; one that fails is logged and neither undoes the change nor stops the others.</summary>
    public static async Task PublishAsync(IEnumerable<IPatientIdentityListener> listeners, ILogger logger, PatientIdentityChanged change, CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnChangedAsync(change, cancellationToken);
            }
#pragma warning disable CA1031 // a listener's failure must not undo a committed merge (docs/mpi.md)
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Patient identity listener {Listener} failed on {Kind} {Merge}", listener.GetType().Name, change.Kind, change.MergeId);
            }
        }
    }

    public static Bundle.EntryComponent Put(Resource resource, int ifMatch) => new()
    {
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}", IfMatch = $"W/\"{ifMatch}\"" },
    };

    /// <summary>The version a transaction response entry reports (<c>ETag: W/"n"</c>).</summary>
    public static int? Version(Bundle.EntryComponent entry) =>
        int.TryParse(entry.Response?.Etag?.Replace("W/", string.Empty, StringComparison.Ordinal).Trim('"'), out var v) ? v : null;

    public static int VersionOf(Resource resource) =>
        int.TryParse(resource.Meta?.VersionId, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;
}
