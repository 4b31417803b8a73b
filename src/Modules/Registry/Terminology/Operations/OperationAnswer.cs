using Hl7.Fhir.Model;

namespace YTeSo.Registry.Terminology.Operations;

/// <summary>What an operation answers: a status and a Parameters, ValueSet or OperationOutcome.</summary>
internal sealed record OperationAnswer(int Status, Resource Body)
{
    public static OperationAnswer Ok(Resource body) => new(200, body);

    /// <summary>400: the request cannot be understood (a missing or malformed parameter).</summary>
    public static OperationAnswer BadRequest(string message, OperationOutcome.IssueType type = OperationOutcome.IssueType.Invalid) => Error(400, type, message);

    public static OperationAnswer BadRequest(IEnumerable<string> messages) => new(400, Outcome(OperationOutcome.IssueType.Invalid, [.. messages]));

    /// <summary>404: the code system, value set, concept map or code named does not exist here.</summary>
    public static OperationAnswer NotFound(string message) => Error(404, OperationOutcome.IssueType.NotFound, message);

    /// <summary>422: understood, but not something this server does (an unsupported compose, a too-large expansion).</summary>
    public static OperationAnswer Unprocessable(OperationOutcome.IssueType type, string message) => Error(422, type, message);

    public static OperationAnswer Error(int status, OperationOutcome.IssueType type, string message) => new(status, Outcome(type, message));

    public static OperationOutcome Outcome(OperationOutcome.IssueType type, params string[] messages) => new()
    {
        Issue = [.. messages.Select(m => new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = type, Diagnostics = m })],
    };
}
