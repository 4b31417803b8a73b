using YTeSo.Platform.Text;

namespace YTeSo.Registry.Terminology.Index;

/// <summary>
/// The text filter of <c>$expand</c> (FHIR R4 valueset-operation-expand: "filter", "the server can document the way
/// this parameter works"; ours): every word typed must be the start of a word of the display or of a designation, or
/// the start of the code, compared folded (TextNormalizer: no case, no diacritics, Đ as D), so "dai thao duong" finds
/// "Đái tháo đường" and "tang huyet ap" or "i10" finds I10.
/// </summary>
internal sealed class ConceptFilter
{
    private readonly string[] _tokens;
    private readonly string[][] _tokenWords;

    private ConceptFilter(string[] tokens)
    {
        _tokens = tokens;
        _tokenWords = [.. tokens.Select(t => Words(t))];
    }

    public static ConceptFilter None { get; } = new([]);

    public bool IsEmpty => _tokens.Length == 0;

    public static ConceptFilter Parse(string? text) =>
        new(TextNormalizer.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>True when every token is a prefix of the folded code or each of its word pieces starts a word of the concept.</summary>
    public bool Matches(string foldedCode, string[] words)
    {
        for (var t = 0; t < _tokens.Length; t++)
        {
            if (foldedCode.StartsWith(_tokens[t], StringComparison.Ordinal))
            {
                continue;
            }

            var pieces = _tokenWords[t];
            if (pieces.Length == 0)
            {
                return false;
            }

            foreach (var piece in pieces)
            {
                if (!StartsAnyWord(piece, words))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The folded words of a text: runs of letters and digits ("Bru-Vân Kiều" gives bru, van, kieu).</summary>
    public static string[] Words(string folded)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(folded[start..i]);
                start = -1;
            }
        }

        return [.. words];
    }

    private static bool StartsAnyWord(string piece, string[] words)
    {
        foreach (var word in words)
        {
            if (word.StartsWith(piece, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
