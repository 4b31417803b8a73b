using System.Globalization;
using System.Text;

namespace YTeSo.Registry.AdministrativeUnits;

/// <summary>Names folded for search: "Đắk Lắk", "dak lak" and "ĐẮK LẮK" compare equal (NFD, marks removed, đ → d).</summary>
internal static class UnitName
{
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            folded.Append(c switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(c),
            });
        }

        return folded.ToString();
    }
}
