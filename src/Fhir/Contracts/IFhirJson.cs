using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Contracts;

/// <summary>
/// The repository's own FHIR JSON parser and serializer, for modules that answer FHIR operations (<c>$match</c>,
/// <c>$merge</c>): same strictness and tolerances as the REST API (ADR 0004), one configured instance.
/// </summary>
public interface IFhirJson
{
    /// <summary>Parses a resource; a malformed body throws <see cref="FhirFormatException"/> with every problem found.</summary>
    Resource Parse(string json);

    string Serialize(Resource resource);
}

/// <summary>A body that is not a valid FHIR resource; <see cref="Problems"/> says precisely why (for an OperationOutcome).</summary>
public sealed class FhirFormatException(IReadOnlyList<string> problems) : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
