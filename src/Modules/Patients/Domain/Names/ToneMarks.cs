using System.Text;

namespace YTeSo.Patients.Domain.Names;

/// <summary>
/// Puts the tone mark of a Vietnamese syllable on one canonical vowel, so "Hoà"/"Hòa", "Thuý"/"Thúy" and "Khoá"/"Khóa"
/// (the new and the old placement style for oa, oe, uy) become one spelling. The canonical style is the old one, the
/// one most name records use: in an open syllable the mark goes on the second-to-last vowel (hòa, thúy, khóa, mía), in a
/// closed one on the last vowel (hoàng, tuyết), and a vowel with its own diacritic (ă â ê ô ơ ư; ơ in ươ) always takes
/// it (Nguyễn, Huế, Trường). "qu" and "gi" before a vowel are consonants (Quý, Giàng).
/// </summary>
internal static class ToneMarks
{
    // Combining grave, acute, tilde, hook above, dot below: the five Vietnamese tones.
    private const string Tones = "\u0300\u0301\u0303\u0309\u0323";

    public static string Canonicalize(string syllable)
    {
        if (syllable.Length < 2 || IsAscii(syllable))
        {
            return syllable;
        }

        var decomposed = syllable.Normalize(NormalizationForm.FormD);
        var tone = '\0';
        var toneCount = 0;
        var bare = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (Tones.Contains(c, StringComparison.Ordinal))
            {
                tone = c;
                toneCount++;
                continue;
            }

            bare.Append(c);
        }

        if (toneCount != 1)
        {
            return syllable.Normalize(NormalizationForm.FormC);
        }

        // Work on base letters: positions in `bare` of each base character and whether it carries a quality mark.
        var text = bare.ToString();
        var bases = new List<(int Index, char Letter, bool Marked)>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.GetUnicodeCategory(text[i]) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                if (bases.Count > 0)
                {
                    bases[^1] = bases[^1] with { Marked = true };
                }

                continue;
            }

            bases.Add((i, char.ToLowerInvariant(text[i]), false));
        }

        var target = TargetVowel(bases);
        if (target < 0)
        {
            return syllable.Normalize(NormalizationForm.FormC);
        }

        // Insert after the vowel's own quality marks: NFC composes â + acute to ấ only in that order.
        var insertAt = target + 1 < bases.Count ? bases[target + 1].Index : text.Length;
        return text.Insert(insertAt, tone.ToString()).Normalize(NormalizationForm.FormC);
    }

    private static int TargetVowel(List<(int Index, char Letter, bool Marked)> bases)
    {
        var start = 0;
        while (start < bases.Count && !IsVowel(bases[start].Letter))
        {
            start++;
        }

        // "qu" and "gi" followed by another vowel: the u / i belongs to the initial consonant.
        if (start < bases.Count - 1 && IsVowel(bases[start + 1].Letter) && start > 0
            && ((bases[start].Letter == 'u' && bases[start - 1].Letter == 'q')
                || (bases[start].Letter == 'i' && bases[start - 1].Letter == 'g' && start == 1)))
        {
            start++;
        }

        var end = start;
        while (end < bases.Count && IsVowel(bases[end].Letter))
        {
            end++;
        }

        var count = end - start;
        if (count == 0)
        {
            return -1;
        }

        // A vowel with a quality mark wins; of ươ the second (ơ) does.
        for (var i = end - 1; i >= start; i--)
        {
            if (bases[i].Marked)
            {
                return i;
            }
        }

        if (count == 1)
        {
            return start;
        }

        var closed = end < bases.Count;
        return closed ? end - 1 : end - 2;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static bool IsAscii(string s)
    {
        foreach (var c in s)
        {
            if (c > 127)
            {
                return false;
            }
        }

        return true;
    }
}
