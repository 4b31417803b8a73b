using System.Globalization;
using System.Text;
using YTeSo.Platform.Text;

namespace YTeSo.Patients.Domain.Names;

/// <summary>
/// A Vietnamese full name taken apart once for matching: tokens in canonical spelling (NFC, one tone-mark placement,
/// lower case), their folds (TextNormalizer.Fold: no marks, đ → d) and variant keys. Vietnamese order is family, middle,
/// given: "Nguyễn Thị Thu Hà" has family "nguyễn", middle "thị thu", given "hà".
/// </summary>
internal sealed class PersonName
{
    public static readonly PersonName Empty = new([]);

    private PersonName(string[] tokens)
    {
        Tokens = tokens;
        Folded = new string[tokens.Length];
        Keys = new string[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            Folded[i] = TextNormalizer.Fold(tokens[i]);
            Keys[i] = NameVariants.Key(Folded[i]);
        }

        MiddleFolded = tokens.Length > 2 ? string.Join(' ', Folded[1..^1]) : "";
        MiddleKey = tokens.Length > 2 ? string.Join(' ', Keys[1..^1]) : "";
        Middle = tokens.Length > 2 ? string.Join(' ', tokens[1..^1]) : "";
    }

    /// <summary>Canonical lower-case tokens in the order written.</summary>
    public string[] Tokens { get; }

    public string[] Folded { get; }

    public string[] Keys { get; }

    public string Middle { get; }

    public string MiddleFolded { get; }

    public string MiddleKey { get; }

    public bool IsEmpty => Tokens.Length == 0;

    public string Family => Tokens.Length > 0 ? Tokens[0] : "";

    public string Given => Tokens.Length > 0 ? Tokens[^1] : "";

    public string FamilyKey => Keys.Length > 0 ? Keys[0] : "";

    public string GivenKey => Keys.Length > 0 ? Keys[^1] : "";

    /// <summary>A name from tokens already canonical (another name's, reordered).</summary>
    internal static PersonName FromTokens(string[] tokens) => tokens.Length == 0 ? Empty : new PersonName(tokens);

    public static PersonName Parse(string? fullName)
    {
        if (string.IsNullOrWhiteSpace(fullName))
        {
            return Empty;
        }

        var parts = NameNormalizer.Tokens(fullName);
        return parts.Length == 0 ? Empty : new PersonName(parts);
    }
}

/// <summary>Vietnamese name normalisation: what the matcher and the review screen agree a name "is".</summary>
public static class NameNormalizer
{
    /// <summary>
    /// The display form: NFC, canonical tone-mark placement, each word capitalised, single spaces.
    /// "  nguyễn  văn HOÀ " → "Nguyễn Văn Hòa".
    /// </summary>
    public static string Normalize(string? fullName)
    {
        var tokens = Tokens(fullName);
        var builder = new StringBuilder(fullName?.Length ?? 0);
        foreach (var token in tokens)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(char.ToUpper(token[0], CultureInfo.InvariantCulture)).Append(token.AsSpan(1));
        }

        return builder.ToString();
    }

    /// <summary>The canonical lower-case tokens: NFC, tone marks placed canonically, punctuation other than letters dropped.</summary>
    public static string[] Tokens(string? fullName)
    {
        if (string.IsNullOrWhiteSpace(fullName))
        {
            return [];
        }

        var nfc = fullName.Normalize(NormalizationForm.FormC);
        var words = new List<string>(4);
        var word = new StringBuilder(8);
        foreach (var c in nfc)
        {
            if (char.IsLetter(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark)
            {
                word.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else if (word.Length > 0)
            {
                words.Add(ToneMarks.Canonicalize(word.ToString()));
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(ToneMarks.Canonicalize(word.ToString()));
        }

        return [.. words];
    }

    /// <summary>The accent-insensitive fold of a name (the platform's TextNormalizer.Fold of the normalised name).</summary>
    public static string Fold(string? fullName) => TextNormalizer.Fold(Normalize(fullName));
}
