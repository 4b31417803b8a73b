using System.Globalization;
using System.Text;

namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>
/// The ways a Vietnamese name gets written differently at a registration desk. Each returns null when it does not
/// apply to the name (nothing to change), so the caller can record only what was really done.
/// </summary>
internal static class NameDistortions
{
    // The five tone marks as combining characters (NFD); the other marks (circumflex, breve, horn) are vowel qualities.
    private const string ToneMarks = "\u0300\u0301\u0303\u0309\u0323";

    private static readonly System.Buffers.SearchValues<char> Tones = System.Buffers.SearchValues.Create(ToneMarks);

    /// <summary>"Nguyễn Văn An" → "Nguyen Van An": typed on a keyboard without a Vietnamese input method.</summary>
    public static string StripDiacritics(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c switch { 'đ' => 'd', 'Đ' => 'D', _ => c });
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>One tone mark replaced by another ("Thủy" → "Thúy"), the commonest slip with Telex or VNI input.</summary>
    public static string? WrongToneMark(Random random, string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var at = decomposed.AsSpan().IndexOfAny(Tones);
        if (at < 0)
        {
            return null;
        }

        var other = ToneMarks.Replace(decomposed[at].ToString(), string.Empty, StringComparison.Ordinal);
        return (decomposed[..at] + other[random.Next(other.Length)] + decomposed[(at + 1)..]).Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The tone mark moved between the two vowels of an open "oa", "oe" or "uy" syllable: "Hòa" ↔ "Hoà", "Thủy" ↔
    /// "Thuỷ". Both placements are in use (the old style marks the first vowel, the 1980s reform the second); "qu"
    /// words such as "Quý" are left alone, since there the "u" belongs to the consonant.
    /// </summary>
    public static string? MoveToneMark(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var bases = new StringBuilder();
        var tone = '\0';
        var toneAfter = -1;
        foreach (var c in decomposed)
        {
            if (ToneMarks.Contains(c, StringComparison.Ordinal))
            {
                tone = c;
                toneAfter = bases.Length - 1;
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                return null; // a vowel with a circumflex, breve or horn: not one of the ambiguous pairs
            }
            else
            {
                bases.Append(c);
            }
        }

        var plain = bases.ToString();
        var lower = plain.ToLowerInvariant();
        if (tone == '\0' || lower.Length < 2 || lower.StartsWith("qu", StringComparison.Ordinal))
        {
            return null;
        }

        var pair = lower[^2..];
        if (pair is not ("oa" or "oe" or "uy"))
        {
            return null;
        }

        var first = plain.Length - 2;
        int target;
        if (toneAfter == first)
        {
            target = first + 1;
        }
        else if (toneAfter == first + 1)
        {
            target = first;
        }
        else
        {
            return null;
        }

        return (plain[..(target + 1)] + tone + plain[(target + 1)..]).Normalize(NormalizationForm.FormC);
    }

    /// <summary>Final "y" and "i" are interchangeable in many words ("Vy"/"Vi", "Lý"/"Lí", "Mỹ"/"Mĩ"); not after "u" ("Huy").</summary>
    public static string? SwapFinalIy(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var end = decomposed.Length;
        while (end > 0 && CharUnicodeInfo.GetUnicodeCategory(decomposed[end - 1]) == UnicodeCategory.NonSpacingMark)
        {
            end--;
        }

        if (end < 2 || "aeiouyAEIOUY".Contains(decomposed[end - 2], StringComparison.Ordinal))
        {
            return null;
        }

        var swapped = decomposed[end - 1] switch { 'y' => 'i', 'i' => 'y', _ => '\0' };
        return swapped == '\0' ? null : (decomposed[..(end - 1)] + swapped + decomposed[end..]).Normalize(NormalizationForm.FormC);
    }

    /// <summary>One keyboard slip in a word of three or more letters: a letter dropped, doubled, swapped with the next, or replaced.</summary>
    public static string? Typo(Random random, string word)
    {
        if (word.Length < 3)
        {
            return null;
        }

        var i = random.Next(1, word.Length - 1);
        var typed = random.Next(4) switch
        {
            0 => word.Remove(i, 1),
            1 => word.Insert(i, word[i].ToString()),
            2 => string.Concat(word.AsSpan(0, i), word[i + 1].ToString(), word[i].ToString(), word.AsSpan(i + 2)),
            _ => word[..i] + Neighbour(random, word[i]) + word[(i + 1)..],
        };
        return typed == word ? null : typed;
    }

    private static char Neighbour(Random random, char c)
    {
        const string Rows = "qwertyuiop|asdfghjkl|zxcvbnm";
        // A lone combining mark (a word already in decomposed form) strips to nothing: no key to slip to.
        var plain = StripDiacritics(c.ToString());
        var at = plain.Length == 0 ? -1 : Rows.IndexOf(char.ToLowerInvariant(plain[0]), StringComparison.Ordinal);
        if (at < 0)
        {
            return 'a';
        }

        var candidates = new[] { at - 1, at + 1 }.Where(p => p >= 0 && p < Rows.Length && Rows[p] != '|').ToArray();
        return candidates.Length == 0 ? 'a' : Rows[random.Pick(candidates)];
    }
}
