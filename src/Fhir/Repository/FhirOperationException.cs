using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Repository;

/// <summary>
/// A request the repository refuses, with the HTTP status FHIR prescribes (http.html) and an OperationOutcome
/// that says why. The REST layer turns it into the response; nothing has been written when it is thrown.
/// </summary>
internal sealed class FhirOperationException(int status, OperationOutcome.IssueType code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public OperationOutcome.IssueType Code { get; } = code;

    public IReadOnlyList<string> Details { get; init; } = [message];

    public OperationOutcome ToOutcome() => Outcomes.Error(Code, Details);

    public static FhirOperationException BadRequest(string message) => new(400, OperationOutcome.IssueType.Invalid, message);

    public static FhirOperationException NotFound(string message) => new(404, OperationOutcome.IssueType.NotFound, message);

    public static FhirOperationException Gone(string message) => new(410, OperationOutcome.IssueType.Deleted, message);

    public static FhirOperationException Conflict(string message) => new(409, OperationOutcome.IssueType.Conflict, message);

    public static FhirOperationException PreconditionFailed(string message) => new(412, OperationOutcome.IssueType.Conflict, message);

    public static FhirOperationException Unprocessable(string message) => new(422, OperationOutcome.IssueType.Processing, message);
}

internal static class Outcomes
{
    public static OperationOutcome Error(OperationOutcome.IssueType code, IEnumerable<string> messages) => new()
    {
        Issue = [.. messages.Select(m => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = code,
            Diagnostics = m,
        })],
    };

    public static OperationOutcome Information(string message) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Information, Code = OperationOutcome.IssueType.Informational, Diagnostics = message }],
    };

    public static OperationOutcome Warnings(IEnumerable<string> messages) => new()
    {
        Issue = [.. messages.Select(m => new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Warning, Code = OperationOutcome.IssueType.NotSupported, Diagnostics = m })],
    };
}
