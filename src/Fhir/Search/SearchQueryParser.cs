using System.Globalization;

using YTeSo.Fhir.Indexing;

namespace YTeSo.Fhir.Search;

/// <summary>Turns query-string pairs into a <see cref="SearchQuery"/>, following FHIR R4 search.html.</summary>
internal sealed class SearchQueryParser(SearchParameterCatalog catalog)
{
    private static readonly HashSet<string> FormatParameters = ["_format", "_pretty"];
    private static readonly HashSet<string> UnsupportedResultParameters = ["_contained", "_containedType", "_graph"];
    private static readonly HashSet<string> StringModifiers = ["exact", "contains", "missing"];
    private static readonly HashSet<string> TokenModifiers = ["not", "text", "missing"];
    private static readonly HashSet<string> UriModifiers = ["below", "above", "missing"];

    public SearchQuery Parse(string resourceType, IEnumerable<KeyValuePair<string, string>> parameters, bool strict)
    {
        var query = new SearchQuery { ResourceType = resourceType };
        foreach (var (rawName, rawValue) in parameters)
        {
            var name = rawName.Trim();
            var value = rawValue ?? string.Empty;
            if (name.Length == 0 || FormatParameters.Contains(name))
            {
                continue;
            }

            switch (name)
            {
                case "_count":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                    {
                        throw new SearchException($"_count must be a non-negative whole number, not '{value}'.");
                    }

                    query.Count = Math.Min(count, SearchLimits.MaxCount);
                    query.Echo.Add(new(name, query.Count.ToString(CultureInfo.InvariantCulture)));
                    continue;
                case "_cursor":
                    query.Cursor = value;
                    continue;
                case "_total":
                    query.Total = value switch
                    {
                        "none" => TotalMode.None,
                        // An estimate would still have to count; the exact figure is what the client gets.
                        "accurate" or "estimate" => TotalMode.Accurate,
                        _ => throw new SearchException($"_total must be none, estimate or accurate, not '{value}'."),
                    };
                    query.Echo.Add(new(name, value));
                    continue;
                case "_summary":
                    if (value is not ("true" or "false" or "text" or "data" or "count"))
                    {
                        throw new SearchException($"_summary must be true, false, text, data or count, not '{value}'.");
                    }

                    query.Summary = value;
                    query.Echo.Add(new(name, value));
                    continue;
                case "_elements":
                    query.Elements = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    query.Echo.Add(new(name, value));
                    continue;
                case "_sort":
                    ParseSort(query, value);
                    query.Echo.Add(new(name, value));
                    continue;
                case "_include" or "_include:iterate":
                    query.Includes.AddRange(ParseInclude(resourceType, value, reverse: false));
                    query.Echo.Add(new(name, value));
                    continue;
                case "_revinclude" or "_revinclude:iterate":
                    query.RevIncludes.AddRange(ParseInclude(resourceType, value, reverse: true));
                    query.Echo.Add(new(name, value));
                    continue;
            }

            if (UnsupportedResultParameters.Contains(name))
            {
                Unknown(query, name, strict);
                continue;
            }

            var criterion = ParseCriterion(resourceType, name, value, strict, query);
            if (criterion is not null)
            {
                query.Criteria.Add(criterion);
                query.Echo.Add(new(name, value));
            }
        }

        return query;
    }

    private SearchCriterion? ParseCriterion(string resourceType, string name, string value, bool strict, SearchQuery query)
    {
        if (name.StartsWith("_has:", StringComparison.Ordinal))
        {
            return ParseReverseChain(resourceType, name, value, strict, query);
        }

        string? chain = null;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            chain = name[(dot + 1)..];
            name = name[..dot];
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var code = colon > 0 ? name[..colon] : name;
        var modifier = colon > 0 ? name[(colon + 1)..] : null;

        if (code is "_id" or "_lastUpdated")
        {
            if (modifier is not null && modifier != "missing")
            {
                throw new SearchException($"Modifier ':{modifier}' is not supported on {code}.");
            }

            return new SearchCriterion(resourceType, null, code, modifier, SplitValues(value));
        }

        var parameter = catalog.Find(resourceType, code);
        if (parameter is null || !parameter.IsIndexed)
        {
            Unknown(query, name, strict, parameter is null
                ? $"Unknown search parameter '{code}' for {resourceType}."
                : $"Search parameter '{code}' ({parameter.Kind}) is not supported by this server.");
            return null;
        }

        if (chain is not null)
        {
            if (parameter.Kind != SearchParamKind.Reference)
            {
                throw new SearchException($"Only reference parameters can be chained; '{code}' is a {parameter.Kind} parameter.");
            }

            var targets = modifier is not null ? [modifier] : parameter.TargetTypes;
            var chained = new List<SearchCriterion>();
            foreach (var target in targets)
            {
                if (!catalog.IsResourceType(target))
                {
                    throw new SearchException($"'{target}' is not a resource type.");
                }

                var inner = ParseCriterion(target, chain, value, strict: false, new SearchQuery { ResourceType = target });
                if (inner is not null)
                {
                    chained.Add(inner);
                }
            }

            if (chained.Count == 0)
            {
                throw new SearchException($"The chain '{name}.{chain}' matches no search parameter of {string.Join(", ", targets)}.");
            }

            return new SearchCriterion(resourceType, parameter, code, modifier, []) { Chain = chained };
        }

        ValidateModifier(parameter, modifier);
        if (modifier == "missing" && value is not ("true" or "false"))
        {
            throw new SearchException($":missing takes true or false, not '{value}'.");
        }

        return new SearchCriterion(resourceType, parameter, code, modifier, SplitValues(value));
    }

    private SearchCriterion? ParseReverseChain(string resourceType, string name, string value, bool strict, SearchQuery query)
    {
        // _has:Observation:patient:code=1234-5  (FHIR R4 search.html#has)
        var parts = name.Split(':', 4);
        if (parts.Length != 4)
        {
            throw new SearchException($"'{name}' is not of the form _has:Type:reference:parameter.");
        }

        var referringType = parts[1];
        if (!catalog.IsResourceType(referringType))
        {
            throw new SearchException($"'{referringType}' is not a resource type.");
        }

        var reference = catalog.Find(referringType, parts[2]);
        if (reference is not { Kind: SearchParamKind.Reference })
        {
            throw new SearchException($"'{parts[2]}' is not a reference search parameter of {referringType}.");
        }

        var inner = ParseCriterion(referringType, parts[3], value, strict, query);
        return inner is null
            ? null
            : new SearchCriterion(resourceType, null, "_has", null, []) { ReverseChain = (referringType, reference, inner) };
    }

    private static void ValidateModifier(SearchParameter parameter, string? modifier)
    {
        if (modifier is null)
        {
            return;
        }

        var allowed = parameter.Kind switch
        {
            SearchParamKind.String => StringModifiers.Contains(modifier),
            SearchParamKind.Token => TokenModifiers.Contains(modifier),
            SearchParamKind.Uri => UriModifiers.Contains(modifier),
            SearchParamKind.Reference => modifier == "missing" || parameter.TargetTypes.Contains(modifier) || ModelInfoTypes.IsResourceType(modifier),
            _ => modifier == "missing",
        };
        if (!allowed)
        {
            throw new SearchException($"Modifier ':{modifier}' is not supported on {parameter.Kind.ToString().ToLowerInvariant()} parameter '{parameter.Code}'.");
        }
    }

    private void ParseSort(SearchQuery query, string value)
    {
        foreach (var raw in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var descending = raw.StartsWith('-');
            var code = descending ? raw[1..] : raw;
            if (code is "_id" or "_lastUpdated")
            {
                query.Sort.Add(new SortKey(code, null, descending));
                continue;
            }

            var parameter = catalog.Find(query.ResourceType, code);
            if (parameter is null || !parameter.IsIndexed)
            {
                throw new SearchException($"Cannot sort {query.ResourceType} by '{code}': no such supported search parameter.");
            }

            query.Sort.Add(new SortKey(code, parameter, descending));
        }
    }

    private IEnumerable<IncludeSpec> ParseInclude(string resourceType, string value, bool reverse)
    {
        if (value == "*")
        {
            return [new IncludeSpec(resourceType, null, null, Wildcard: true)];
        }

        var parts = value.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            throw new SearchException($"'{value}' is not of the form Type:parameter[:targetType].");
        }

        if (!reverse && parts[0] != resourceType)
        {
            throw new SearchException($"_include '{value}' must start with the searched type {resourceType}.");
        }

        if (parts[1] == "*")
        {
            return [new IncludeSpec(parts[0], null, parts.Length == 3 ? parts[2] : null, Wildcard: true)];
        }

        var parameter = catalog.Find(parts[0], parts[1]);
        if (parameter is not { Kind: SearchParamKind.Reference })
        {
            throw new SearchException($"'{parts[1]}' is not a reference search parameter of {parts[0]}.");
        }

        return [new IncludeSpec(parts[0], parameter, parts.Length == 3 ? parts[2] : null, Wildcard: false)];
    }

    private static void Unknown(SearchQuery query, string name, bool strict, string? message = null)
    {
        message ??= $"Search parameter '{name}' is not supported by this server.";
        if (strict)
        {
            throw new SearchException(message + " (Prefer: handling=strict)");
        }

        query.Ignored.Add(message);
    }

    /// <summary>Splits OR-ed values on commas, honouring the "\," escape of search.html#escaping.</summary>
    internal static List<string> SplitValues(string value)
    {
        var values = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is ',' or '$' or '|' or '\\')
            {
                current.Append(value[i + 1] == '|' ? "\\|" : value[i + 1].ToString());
                i++;
            }
            else if (value[i] == ',')
            {
                values.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(value[i]);
            }
        }

        values.Add(current.ToString());
        return values;
    }
}

internal static class ModelInfoTypes
{
    public static bool IsResourceType(string name) => Hl7.Fhir.Model.ModelInfo.IsKnownResource(name);
}
