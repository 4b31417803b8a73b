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
        // Each piece with a leading space: " piece" found in " word1 word2 …" is a piece starting a word.
        _tokenWords = [.. tokens.Select(t => Words(t).Select(w => " " + w).ToArray())];
    }

    public static ConceptFilter None { get; } = new([]);

    public bool IsEmpty => _tokens.Length == 0;

    public static ConceptFilter Parse(string? text) =>
        new(TextNormalizer.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// True when every token is a prefix of the folded code or each of its word pieces starts a word of the concept;
    /// <paramref name="words"/> is the concept's <see cref="SearchText"/> (one vectorised ordinal search per piece).
    /// </summary>
    public bool Matches(string foldedCode, string words)
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
                if (!words.Contains(piece, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The folded words of a text as one string, each after a space: " bru van kieu".</summary>
    public static string SearchText(IEnumerable<string> words) => string.Concat(words.Select(w => " " + w));

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
}
