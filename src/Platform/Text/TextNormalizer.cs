using System.Globalization;
using System.Text;

namespace YTeSo.Platform.Text;

/// <summary>
/// Folds text for accent-insensitive search: "Nguyễn Văn Đức" and "nguyen van duc" fold to the same key.
/// FHIR R4 search.html#string: "case and accent insensitive" matching of string parameters. One fold for every module
/// (the FHIR index, administrative-unit names, later name matching), so a name typed once finds the same things everywhere.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Lower case, diacritics removed (NFD, non-spacing marks dropped, đ → d), runs of white space made one space.</summary>
    public static string Fold(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var decomposed = value.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = true;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            // Đ/đ is a letter of its own in Unicode, not D with a mark, so NFD leaves it alone.
            var folded = c switch
            {
                'Đ' or 'đ' => 'd',
                _ => char.ToLowerInvariant(c),
            };
            if (char.IsWhiteSpace(folded))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                }

                lastWasSpace = true;
                continue;
            }

            builder.Append(folded);
            lastWasSpace = false;
        }

        if (builder.Length > 0 && builder[^1] == ' ')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    /// <summary>Exact form kept for <c>:exact</c>: Unicode NFC, so "Hoà" typed two ways still compares equal.</summary>
    public static string Exact(string value) => value.Normalize(NormalizationForm.FormC);
}
