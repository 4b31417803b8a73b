using System.Globalization;
using YTeSo.Fhir.Indexing;
using YTeSo.Platform.Text;

namespace YTeSo.Fhir.Search;

/// <summary>
/// Translates search criteria into SQL over the typed index tables. Every criterion becomes
/// "resource_key IN (SELECT resource_key FROM idx_... WHERE param_id = ? AND value ...)", which both engines
/// run as an index seek on (param_id, value) followed by a key lookup. Values always travel as parameters.
/// </summary>
internal sealed class SearchSqlBuilder(TimeProvider clock)
{
    private const string TextMax = "\uffff";

    /// <summary>
    /// The criteria of <paramref name="query"/>, and <paramref name="visibility"/>: the caller's access condition for a
    /// row of a type under an alias (src/Fhir/Access), applied inside chains and <c>_has</c> as well, so a criterion on a
    /// hidden resource cannot reveal anything about it.
    /// With <paramref name="criteriaLead"/> false, no criterion leads: every one is checked per row, for a plan that
    /// starts from another row source (a facility's patients, <c>AccessSql.Candidates</c>); <paramref name="rowVisible"/>
    /// then replaces the access condition of the matched rows themselves (chains and <c>_has</c> keep <paramref name="visibility"/>).
    /// </summary>
    public string Where(SearchQuery query, SqlParameters parameters, string alias = "r", Func<string, string, string?>? visibility = null, bool criteriaLead = true, string? rowVisible = null)
    {
        var clauses = new List<string>
        {
            $"{alias}.resource_type = {parameters.Add(query.ResourceType)}",
            $"{alias}.is_deleted = 0",
        };
        var driver = Driver(query.Criteria);
        clauses.AddRange(query.Criteria.Select((c, i) => Criterion(c, parameters, alias, correlated: !criteriaLead || (driver >= 0 && i != driver), visibility)));
        if ((rowVisible ?? visibility?.Invoke(query.ResourceType, alias)) is { } visible)
        {
            clauses.Add(visible);
        }

        return string.Join(" AND ", clauses);
    }

    /// <summary>True when a criterion (or <c>_id</c>) leads the query, so rows are found through an index seek.</summary>
    public static bool HasLeadingCriterion(SearchQuery query) =>
        query.Criteria.Any(c => c.Code == "_id" && c.Modifier != "missing") || Driver(query.Criteria) >= 0;

    /// <summary>The criterion that leads the query (see <see cref="Driver"/>), or null when none does.</summary>
    public static SearchCriterion? LeadingCriterion(SearchQuery query) => Driver(query.Criteria) is var i and >= 0 ? query.Criteria[i] : null;

    /// <summary>
    /// The index rows of a plain criterion (no chain, <c>_has</c> or <c>:missing</c>; a leading one, see
    /// <see cref="LeadRank"/>): "SELECT resource_key FROM idx_... WHERE param_id = ? AND (values)".
    /// </summary>
    public string MatchRows(SearchCriterion criterion, SqlParameters p)
    {
        var parameter = criterion.Parameter!;
        var conditions = criterion.Values.Select(v => ValueCondition(parameter, criterion.Modifier, v, p));
        return $"SELECT resource_key FROM {TableFor(parameter.Kind)} WHERE param_id = {p.Add(parameter.Id)} AND ({string.Join(" OR ", conditions)})";
    }

    /// <summary>
    /// Which criterion should lead the search: one "key IN (index seek)" list that the engine walks, looking rows up by
    /// key, while every other criterion is checked per row as a correlated EXISTS on the (resource_key, param_id)
    /// index. Otherwise SQLite materializes every IN list in full: "code = body weight" across the whole province
    /// just to intersect it with one citizen's handful of observations. References to one target and system|code
    /// tokens (identifiers) are the most selective; dates and numbers the least. -1 when nothing qualifies or an
    /// _id criterion already leads through the (type, id) index.
    /// </summary>
    private static int Driver(List<SearchCriterion> criteria)
    {
        if (criteria.Any(c => c.Code == "_id" && c.Modifier != "missing"))
        {
            return -1;
        }

        var best = -1;
        var bestRank = int.MaxValue;
        for (var i = 0; i < criteria.Count; i++)
        {
            var rank = LeadRank(criteria[i]);
            if (rank < bestRank)
            {
                (best, bestRank) = (i, rank);
            }
        }

        return best;
    }

    private static int LeadRank(SearchCriterion c) =>
        c.ReverseChain is not null || c.Chain is not null || c.Parameter is null || c.Modifier is "missing" or "not" || c.Code is "_id" or "_lastUpdated"
            ? int.MaxValue
            : c.Parameter.Kind switch
            {
                SearchParamKind.Reference => 0,
                SearchParamKind.Token => 1,
                SearchParamKind.Uri => 2,
                SearchParamKind.String => 3,
                SearchParamKind.Number or SearchParamKind.Quantity => 4,
                _ => 5,
            };

    public string Criterion(SearchCriterion criterion, SqlParameters p, string alias, bool correlated = false, Func<string, string, string?>? visibility = null)
    {
        if (criterion.ReverseChain is { } has)
        {
            var inner = Criterion(has.Criterion, p, "h", visibility: visibility);
            var visible = visibility?.Invoke(has.ReferringType, "h") is { } v ? $" AND {v}" : string.Empty;
            return $"{alias}.resource_id IN (SELECT ref.target_id FROM idx_reference ref JOIN resources h ON h.resource_key = ref.resource_key " +
                $"WHERE ref.param_id = {p.Add(has.ReferenceParameter.Id)} AND ref.target_type = {p.Add(criterion.ResourceType)} " +
                $"AND h.resource_type = {p.Add(has.ReferringType)} AND h.is_deleted = 0 AND {inner}{visible})";
        }

        if (criterion.Chain is { } chain)
        {
            var branches = chain.Select(inner =>
                $"(target_type = {p.Add(inner.ResourceType)} AND target_id IN (SELECT c.resource_id FROM resources c " +
                $"WHERE c.resource_type = {p.Add(inner.ResourceType)} AND c.is_deleted = 0 AND {Criterion(inner, p, "c", visibility: visibility)}" +
                (visibility?.Invoke(inner.ResourceType, "c") is { } v ? $" AND {v}" : string.Empty) + "))");
            return $"{alias}.resource_key IN (SELECT resource_key FROM idx_reference WHERE param_id = {p.Add(criterion.Parameter!.Id)} AND ({string.Join(" OR ", branches)}))";
        }

        if (criterion.Code == "_id")
        {
            if (criterion.Modifier == "missing")
            {
                return criterion.Values[0] == "true" ? "1 = 0" : "1 = 1";
            }

            return $"{alias}.resource_id IN ({string.Join(", ", criterion.Values.Select(v => p.Add(v.Trim())))})";
        }

        if (criterion.Code == "_lastUpdated")
        {
            if (criterion.Modifier == "missing")
            {
                return criterion.Values[0] == "true" ? "1 = 0" : "1 = 1";
            }

            return "(" + string.Join(" OR ", criterion.Values.Select(v => DateCondition(v, $"{alias}.last_updated", $"{alias}.last_updated", p))) + ")";
        }

        var parameter = criterion.Parameter!;
        var table = TableFor(parameter.Kind);
        if (criterion.Modifier == "missing")
        {
            var op = criterion.Values[0] == "true" ? "NOT IN" : "IN";
            return $"{alias}.resource_key {op} (SELECT resource_key FROM {table} WHERE param_id = {p.Add(parameter.Id)})";
        }

        var negate = criterion.Modifier == "not";
        if (correlated && !negate)
        {
            var conditions = criterion.Values.Select(v => ValueCondition(parameter, criterion.Modifier, v, p));
            return $"EXISTS (SELECT 1 FROM {table} x WHERE x.resource_key = {alias}.resource_key AND x.param_id = {p.Add(parameter.Id)} AND ({string.Join(" OR ", conditions)}))";
        }

        return $"{alias}.resource_key {(negate ? "NOT IN" : "IN")} ({MatchRows(criterion, p)})";
    }

    private string ValueCondition(SearchParameter parameter, string? modifier, string value, SqlParameters p) => parameter.Kind switch
    {
        SearchParamKind.String => StringCondition(modifier, value, p),
        SearchParamKind.Token => TokenCondition(modifier, value, p),
        SearchParamKind.Date => DateCondition(value, "low", "high", p),
        SearchParamKind.Number => NumberCondition(value, p),
        SearchParamKind.Quantity => QuantityCondition(value, p),
        SearchParamKind.Reference => ReferenceCondition(modifier, value, p),
        SearchParamKind.Uri => UriCondition(modifier, value, p),
        _ => throw new SearchException($"Search parameter '{parameter.Code}' is not supported."),
    };

    private static string StringCondition(string? modifier, string value, SqlParameters p)
    {
        switch (modifier)
        {
            case "exact":
                return $"value_exact = {p.Add(TextNormalizer.Exact(value))}";
            case "contains":
                return $"value_folded LIKE {p.Add("%" + EscapeLike(TextNormalizer.Fold(value)) + "%")} ESCAPE '\\'";
            default:
                var folded = TextNormalizer.Fold(value);
                return $"(value_folded >= {p.Add(folded)} AND value_folded < {p.Add(folded + TextMax)})";
        }
    }

    private static string TokenCondition(string? modifier, string value, SqlParameters p)
    {
        if (modifier == "text")
        {
            return $"text_folded LIKE {p.Add("%" + EscapeLike(TextNormalizer.Fold(value)) + "%")} ESCAPE '\\'";
        }

        var bar = IndexOfUnescaped(value, '|');
        if (bar < 0)
        {
            return $"code = {p.Add(Unescape(value))}";
        }

        var system = Unescape(value[..bar]);
        var code = Unescape(value[(bar + 1)..]);
        if (system.Length == 0)
        {
            return $"(system IS NULL AND code = {p.Add(code)})";
        }

        return code.Length == 0
            ? $"system = {p.Add(system)}"
            : $"(code = {p.Add(code)} AND system = {p.Add(system)})";
    }

    internal string DateCondition(string value, string low, string high, SqlParameters p)
    {
        var (comparator, text) = SplitPrefix(value);
        if (!FhirDateRange.TryParse(text, out var range))
        {
            throw new SearchException($"'{text}' is not a valid FHIR date, dateTime or instant.");
        }

        var sL = p.Add(range.Low);
        var sH = p.Add(range.High);
        var eq = $"({low} >= {sL} AND {high} <= {sH})";

        // FHIR R4 search.html#prefix, comparing the range of the search value with the range of the target.
        return comparator switch
        {
            Comparator.Eq => eq,
            Comparator.Ne => $"NOT {eq}",
            Comparator.Gt => $"{high} > {sH}",
            Comparator.Lt => $"{low} < {sL}",
            Comparator.Ge => $"({high} > {sH} OR {eq})",
            Comparator.Le => $"({low} < {sL} OR {eq})",
            Comparator.Sa => $"{low} > {sH}",
            Comparator.Eb => $"{high} < {sL}",
            Comparator.Ap => Approximately(range, low, high, p),
            _ => eq,
        };
    }

    private string Approximately(FhirDateRange range, string low, string high, SqlParameters p)
    {
        // search.html#prefix "ap": within 10% of the gap between now and the value.
        var now = clock.GetUtcNow().UtcTicks;
        var gap = (long)(Math.Abs(now - range.Low) * 0.1);
        var from = Math.Max(0, range.Low - gap);
        var to = Math.Min(DateTime.MaxValue.Ticks, range.High + gap);
        return $"({low} <= {p.Add(to)} AND {high} >= {p.Add(from)})";
    }

    private static string NumberCondition(string value, SqlParameters p)
    {
        var (comparator, text) = SplitPrefix(value);
        var (number, half) = ParseNumber(text);
        return NumericComparison(comparator, number, half, "value", "value", p);
    }

    private static string QuantityCondition(string value, SqlParameters p)
    {
        var parts = SplitUnescaped(value, '|');
        var (comparator, text) = SplitPrefix(parts[0]);
        var (number, half) = ParseNumber(text);
        var condition = NumericComparison(comparator, number, half, "COALESCE(low, -1e300)", "COALESCE(high, 1e300)", p);
        if (parts.Count >= 3 && parts[2].Length > 0)
        {
            condition += $" AND code = {p.Add(Unescape(parts[2]))}";
        }

        if (parts.Count >= 2 && parts[1].Length > 0)
        {
            condition += $" AND system = {p.Add(Unescape(parts[1]))}";
        }

        return $"({condition})";
    }

    private static string NumericComparison(Comparator comparator, decimal number, decimal half, string low, string high, SqlParameters p)
    {
        var v = p.Add((double)number);
        return comparator switch
        {
            // search.html#number: "100" means [99.5, 100.5): the precision of the value given is implied.
            Comparator.Eq => $"({low} >= {p.Add((double)(number - half))} AND {high} < {p.Add((double)(number + half))})",
            Comparator.Ne => $"NOT ({low} >= {p.Add((double)(number - half))} AND {high} < {p.Add((double)(number + half))})",
            Comparator.Gt or Comparator.Sa => $"{high} > {v}",
            Comparator.Lt or Comparator.Eb => $"{low} < {v}",
            Comparator.Ge => $"{high} >= {v}",
            Comparator.Le => $"{low} <= {v}",
            Comparator.Ap => $"({low} <= {p.Add((double)(number + (Math.Abs(number) * 0.1m)))} AND {high} >= {p.Add((double)(number - (Math.Abs(number) * 0.1m)))})",
            _ => throw new SearchException("Unsupported comparator."),
        };
    }

    private static string ReferenceCondition(string? modifier, string value, SqlParameters p)
    {
        var parsed = ReferenceParser.Parse(value);
        if (parsed.IsLocal)
        {
            return $"(target_type = {p.Add(parsed.TargetType)} AND target_id = {p.Add(parsed.TargetId)})";
        }

        if (parsed.IsAbsolute || value.Contains(':', StringComparison.Ordinal))
        {
            return parsed.IsAbsolute && parsed.TargetType is not null
                ? $"((target_type IS NULL AND target_id = {p.Add(value)}) OR (target_type = {p.Add(parsed.TargetType)} AND target_id = {p.Add(parsed.TargetId)}))"
                : $"(target_type IS NULL AND target_id = {p.Add(value)})";
        }

        if (!ReferenceParser.IsValidId(value))
        {
            throw new SearchException($"'{value}' is not a valid reference (Type/id, id or absolute URL).");
        }

        return modifier is not null && modifier != "missing"
            ? $"(target_type = {p.Add(modifier)} AND target_id = {p.Add(value)})"
            : $"target_id = {p.Add(value)}";
    }

    private static string UriCondition(string? modifier, string value, SqlParameters p) => modifier switch
    {
        "below" => $"(value >= {p.Add(value)} AND value < {p.Add(value + TextMax)})",
        "above" => $"substr({p.Add(value)}, 1, length(value)) = value",
        _ => $"value = {p.Add(value)}",
    };

    /// <summary>The expression a search sorts on, with missing values last in either direction.</summary>
    public static (string Sql, Type ValueType) SortExpression(SortKey key, SqlParameters p, string alias = "r")
    {
        if (key.Parameter is null)
        {
            return key.Code == "_id" ? ($"{alias}.resource_id", typeof(string)) : ($"{alias}.last_updated", typeof(long));
        }

        var id = p.Add(key.Parameter.Id);
        var aggregate = key.Descending ? "MAX" : "MIN";
        var (column, type) = key.Parameter.Kind switch
        {
            SearchParamKind.String => ("value_folded", typeof(string)),
            SearchParamKind.Token => ("code", typeof(string)),
            SearchParamKind.Date => (key.Descending ? "high" : "low", typeof(long)),
            SearchParamKind.Number => ("value", typeof(double)),
            SearchParamKind.Quantity => (key.Descending ? "high" : "low", typeof(double)),
            SearchParamKind.Reference => ("target_id", typeof(string)),
            _ => ("value", typeof(string)),
        };
        object sentinel;
        if (type == typeof(string))
        {
            sentinel = key.Descending ? string.Empty : TextMax;
        }
        else if (type == typeof(long))
        {
            sentinel = key.Descending ? long.MinValue : long.MaxValue;
        }
        else
        {
            sentinel = key.Descending ? -1e300 : 1e300;
        }

        var table = TableFor(key.Parameter.Kind);
        return ($"COALESCE((SELECT {aggregate}({column}) FROM {table} s WHERE s.resource_key = {alias}.resource_key AND s.param_id = {id}), {p.Add(sentinel)})", type);
    }

    internal static string TableFor(SearchParamKind kind) => kind switch
    {
        SearchParamKind.String => "idx_string",
        SearchParamKind.Token => "idx_token",
        SearchParamKind.Date => "idx_date",
        SearchParamKind.Reference => "idx_reference",
        SearchParamKind.Number => "idx_number",
        SearchParamKind.Quantity => "idx_quantity",
        SearchParamKind.Uri => "idx_uri",
        _ => throw new SearchException($"{kind} parameters are not supported."),
    };

    private static (Comparator, string) SplitPrefix(string value)
    {
        if (value.Length > 2 && char.IsAsciiLetterLower(value[0]) && char.IsAsciiLetterLower(value[1]))
        {
            var comparator = value[..2] switch
            {
                "eq" => Comparator.Eq,
                "ne" => Comparator.Ne,
                "gt" => Comparator.Gt,
                "lt" => Comparator.Lt,
                "ge" => Comparator.Ge,
                "le" => Comparator.Le,
                "sa" => Comparator.Sa,
                "eb" => Comparator.Eb,
                "ap" => Comparator.Ap,
                _ => throw new SearchException($"'{value[..2]}' is not a search prefix (eq, ne, gt, lt, ge, le, sa, eb, ap)."),
            };
            return (comparator, value[2..]);
        }

        return (Comparator.Eq, value);
    }

    private static (decimal Number, decimal Half) ParseNumber(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new SearchException($"'{text}' is not a number.");
        }

        var mantissa = text.Split('e', 'E')[0];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var decimals = dot < 0 ? 0 : mantissa.Length - dot - 1;
        var half = 0.5m;
        for (var i = 0; i < decimals; i++)
        {
            half /= 10;
        }

        return (number, half);
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static int IndexOfUnescaped(string value, char c)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == c)
            {
                return i;
            }
        }

        return -1;
    }

    private static List<string> SplitUnescaped(string value, char c)
    {
        var parts = new List<string>();
        var rest = value;
        int index;
        while ((index = IndexOfUnescaped(rest, c)) >= 0)
        {
            parts.Add(rest[..index]);
            rest = rest[(index + 1)..];
        }

        parts.Add(rest);
        return parts;
    }

    private static string Unescape(string value) => value.Replace("\\|", "|", StringComparison.Ordinal).Replace("\\$", "$", StringComparison.Ordinal);
}
