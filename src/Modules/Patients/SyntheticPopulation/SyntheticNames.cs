namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>Writes a person's name into a record with the name distortions asked for, and says which really applied.</summary>
internal static class SyntheticNames
{
    public static (string Text, string? Family, string[]? Given, Distortion Applied) Write(SyntheticPerson person, Random random, int age, Distortion asked)
    {
        var applied = asked;
        var family = person.Family;
        var middle = person.Middle;
        var given = person.Given;

        // Changes the first part it can; when neither can change, the distortion did not happen.
        void Change(Distortion kind, Func<string, string?> change, ref string first, ref string second)
        {
            if (!asked.HasFlag(kind))
            {
                return;
            }

            if (change(first) is { } a)
            {
                first = a;
            }
            else if (change(second) is { } b)
            {
                second = b;
            }
            else
            {
                applied &= ~kind;
            }
        }

        if (asked.HasFlag(Distortion.Nickname))
        {
            given = random.Pick(age < 12 ? NameTables.ChildNicknames : NameTables.AdultNicknames);
        }

        // Marks are moved or swapped first, then possibly stripped, as a clerk's keyboard would do it.
        Change(Distortion.ToneMarkPlacement, NameDistortions.MoveToneMark, ref given, ref middle);
        Change(Distortion.SpellingVariant, NameDistortions.SwapFinalIy, ref given, ref middle);
        if (random.Chance(0.5))
        {
            Change(Distortion.WrongToneMark, w => NameDistortions.WrongToneMark(random, w), ref given, ref family);
        }
        else
        {
            Change(Distortion.WrongToneMark, w => NameDistortions.WrongToneMark(random, w), ref family, ref given);
        }

        if (random.Chance(0.7))
        {
            Change(Distortion.Typo, w => NameDistortions.Typo(random, w), ref given, ref family);
        }
        else
        {
            Change(Distortion.Typo, w => NameDistortions.Typo(random, w), ref family, ref given);
        }

        if (asked.HasFlag(Distortion.NoDiacritics))
        {
            (family, middle, given) = (NameDistortions.StripDiacritics(family), NameDistortions.StripDiacritics(middle), NameDistortions.StripDiacritics(given));
        }

        string[] givens = asked.HasFlag(Distortion.MissingMiddleName) ? [given] : [middle, given];
        var text = $"{family} {string.Join(' ', givens)}";
        if (!asked.HasFlag(Distortion.SwappedNameOrder))
        {
            // A fifth of the systems send only the full name as one text.
            return random.Chance(0.2) ? (text, null, null, applied) : (text, family, givens, applied);
        }

        // Either the parts went into the wrong fields ("Họ" = An, "Tên" = Nguyễn Văn), or a system with a single
        // name field built for the Western order wrote the given names first ("Văn An Nguyễn").
        string[] rest = [family, .. givens[..^1]];
        return random.Chance(0.5)
            ? ($"{given} {string.Join(' ', rest)}", given, rest, applied)
            : ($"{string.Join(' ', givens)} {family}", null, null, applied);
    }
}
