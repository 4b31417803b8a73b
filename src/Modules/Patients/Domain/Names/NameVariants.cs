using System.Collections.Frozen;

namespace YTeSo.Patients.Domain.Names;

/// <summary>
/// Spellings that stand for one name, as data, keyed by folded token (no marks, đ → d, lower case). Each maps to a
/// canonical folded key; two names with the same key compare as "variant". Kept small and explainable: every row is a
/// reason a reviewer would accept.
/// </summary>
internal static class NameVariants
{
    private static readonly FrozenDictionary<string, string> Map = Build(
        // Dialect pairs: the Nguyễn lords' naming taboo turned Hoàng into Huỳnh and Vũ into Võ in the south; the same
        // family is written both ways across regions [S, common knowledge of Vietnamese onomastics].
        ("huynh", "hoang"), ("vo", "vu"),
        // Southern pronunciation written as spoken [U]: Phúc/Phước, Nhân/Nhơn. (Thịnh/Thạnh is left out: "thanh"
        // folded is also Thành and Thanh, far too common to pair.)
        ("phuoc", "phuc"), ("nhon", "nhan"),
        // Common typing slips of Nguyễn on keyboards without Telex (letters swapped or dropped), as folded forms.
        ("ngyuen", "nguyen"), ("nguen", "nguyen"), ("nguyn", "nguyen"), ("nguyne", "nguyen"), ("ngueyn", "nguyen"),
        ("nguyeen", "nguyen"), ("nguyenn", "nguyen"), ("ngiuyen", "nguyen"),
        ("trna", "tran"),
        // Telex tone keys left in the text when the input method was off: "Phamj", "Hoangf", "Lee" for Lê.
        ("phamj", "pham"), ("hoangf", "hoang"), ("tranf", "tran"), ("lee", "le"), ("nguyeenx", "nguyen"));

    /// <summary>
    /// Household names (tên ở nhà) and the southern birth-order names (Hai, Ba, Tư … Út) that registration desks write
    /// instead of a child's or an elder's given name [U, common usage]. In canonical spelling with marks, so the real
    /// names they fold to (Nam, Hải, Bá) are not caught.
    /// </summary>
    private static readonly FrozenSet<string> Nicknames = FrozenSet.Create(StringComparer.Ordinal,
        "bé", "bi", "bin", "bo", "bống", "bông", "cu", "cún", "tí", "tý", "tèo", "tủn", "tũn", "su", "na", "mít", "xu",
        "ken", "bơ", "sóc", "gạo", "bắp", "mèo", "heo", "nhóc", "tôm", "tép", "nhím", "nấm", "sữa", "bư", "mận",
        "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "út");

    public static bool IsNickname(string canonicalToken) => Nicknames.Contains(canonicalToken);

    /// <summary>The canonical folded key of a folded token: its variant group, then the y/i spelling rule.</summary>
    public static string Key(string folded)
    {
        if (Map.TryGetValue(folded, out var key))
        {
            return key;
        }

        // Chính tả: after a consonant a final y and i are two spellings of one sound (Mỹ/Mĩ, Lý/Lí, Vy/Vi, Kỳ/Kì);
        // not after a vowel (Huy, Duy, Tây keep y) [S, QĐ 240/QĐ 1989 spelling rules allow both].
        if (folded.Length >= 2 && folded[^1] == 'y' && !IsVowel(folded[^2]))
        {
            return string.Concat(folded.AsSpan(0, folded.Length - 1), "i");
        }

        return folded;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static FrozenDictionary<string, string> Build(params (string From, string To)[] pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, to) in pairs)
        {
            if (from != to)
            {
                map[from] = to;
            }
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
