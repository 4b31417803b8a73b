using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Indexing;

/// <summary>What a reference string points at: a local "Type/id[/_history/n]", an absolute URL, or a contained "#id".</summary>
internal readonly record struct ParsedReference(string? TargetType, string? TargetId, string? Version, string Original, bool IsAbsolute = false)
{
    public bool IsLocal => !IsAbsolute && TargetType is not null && TargetId is not null;
}

internal static class ReferenceParser
{
    public static ParsedReference Parse(string reference)
    {
        if (reference.StartsWith('#') || reference.StartsWith("urn:", StringComparison.Ordinal))
        {
            return new ParsedReference(null, null, null, reference);
        }

        var isAbsolute = reference.Contains("://", StringComparison.Ordinal);
        var segments = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? version = null;
        var end = segments.Length;
        if (end >= 4 && segments[end - 2] == "_history")
        {
            version = segments[end - 1];
            end -= 2;
        }

        // An over-long id still names its target: with referential integrity on, it fails as "does not exist".
        if (end >= 2 && ModelInfo.IsKnownResource(segments[end - 2]) && HasIdCharacters(segments[end - 1]))
        {
            // An absolute URL keeps its type (for "where(resolve() is Patient)") but is not local.
            return new ParsedReference(segments[end - 2], segments[end - 1], version, reference, isAbsolute);
        }

        // references.html#literal: any absolute URL may be a reference, FHIR-shaped or not.
        return new ParsedReference(null, null, null, reference, isAbsolute && Uri.IsWellFormedUriString(reference, UriKind.Absolute));
    }

    /// <summary>FHIR R4 datatypes.html#id: [A-Za-z0-9\-\.]{1,64}.</summary>
    public static bool IsValidId(string id) => id.Length <= 64 && HasIdCharacters(id);

    private static bool HasIdCharacters(string id) => id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '.');
}
