using System.Globalization;
using Hl7.Fhir.Model;
using YTeSo.Platform.Text;

namespace YTeSo.Fhir.Indexing;

/// <summary>Turns a resource into its search-index rows, using the catalog's compiled paths.</summary>
internal sealed class IndexExtractor(SearchParameterCatalog catalog, PatientAccessExtractor access)
{
    public ResourceIndex Extract(Resource resource)
    {
        var index = new ResourceIndex();
        foreach (var parameter in catalog.For(resource.TypeName))
        {
            if (!parameter.IsIndexed || parameter.Id == 0)
            {
                continue;
            }

            foreach (var value in parameter.Path!.Select(resource))
            {
                Add(index, parameter, value);
            }
        }

        AddOtherReferences(index, resource);
        index.Access.AddRange(access.Extract(resource));
        return index;
    }

    /// <summary>
    /// The parameter id of <c>idx_reference</c> rows for local references no search parameter indexes: R4 leaves many
    /// references to a Patient without one (Observation.focus, Encounter.diagnosis.condition's targets, extensions,
    /// everything inside contained resources...). With them, <c>idx_reference</c> by target lists every resource that
    /// references a given one (<see cref="Contracts.IFhirRepository.FindReferrersAsync"/>, the MPI's merge). No search
    /// parameter has this id (catalog ids are positive), so searches never see these rows.
    /// </summary>
    public const int OtherReferenceParamId = -1;

    private static void AddOtherReferences(ResourceIndex index, Resource resource)
    {
        HashSet<(string?, string)>? covered = null;
        foreach (var (reference, _) in Serialization.FhirTree.Find<ResourceReference>(resource))
        {
            if (string.IsNullOrWhiteSpace(reference.Reference) || ReferenceParser.Parse(reference.Reference) is not { IsLocal: true } parsed)
            {
                continue;
            }

            covered ??= [.. index.References.Select(r => (r.TargetType, r.TargetId))];
            if (covered.Add((parsed.TargetType, parsed.TargetId!)))
            {
                index.References.Add(new ReferenceIndexValue(OtherReferenceParamId, parsed.TargetType, parsed.TargetId!));
            }
        }
    }

    private static void Add(ResourceIndex index, SearchParameter parameter, Base value)
    {
        var id = parameter.Id;
        switch (parameter.Kind)
        {
            case SearchParamKind.String:
                AddStrings(index, id, value);
                break;
            case SearchParamKind.Token:
                AddTokens(index, id, value);
                break;
            case SearchParamKind.Date:
                AddDates(index, id, value);
                break;
            case SearchParamKind.Reference:
                AddReference(index, id, value);
                break;
            case SearchParamKind.Number:
                if (value is PrimitiveType { JsonValue: not null } number && TryDouble(number.JsonValue, out var d))
                {
                    index.Numbers.Add(new NumberIndexValue(id, d));
                }

                break;
            case SearchParamKind.Quantity:
                AddQuantity(index, id, value);
                break;
            case SearchParamKind.Uri:
                if (value is PrimitiveType { JsonValue: string uri } && uri.Length > 0)
                {
                    index.Uris.Add(new UriIndexValue(id, uri));
                }

                break;
        }
    }

    private static void AddString(ResourceIndex index, int id, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            var exact = TextNormalizer.Exact(text.Trim());
            index.Strings.Add(new StringIndexValue(id, TextNormalizer.Fold(exact), exact));
        }
    }

    private static void AddStrings(ResourceIndex index, int id, Base value)
    {
        switch (value)
        {
            case HumanName name:
                AddString(index, id, name.Text);
                AddString(index, id, name.Family);
                foreach (var given in name.Given)
                {
                    AddString(index, id, given);
                }

                foreach (var part in name.Prefix.Concat(name.Suffix))
                {
                    AddString(index, id, part);
                }

                // Vietnamese names are written family first ("Nguyễn Văn An"); index the whole name in that order
                // and in the western order so a full-name search finds either.
                var givens = string.Join(' ', name.Given.Where(g => !string.IsNullOrWhiteSpace(g)));
                if (!string.IsNullOrWhiteSpace(name.Family) && givens.Length > 0)
                {
                    AddString(index, id, $"{name.Family} {givens}");
                    AddString(index, id, $"{givens} {name.Family}");
                }

                break;
            case Address address:
                AddString(index, id, address.Text);
                foreach (var line in address.Line)
                {
                    AddString(index, id, line);
                }

                AddString(index, id, address.City);
                AddString(index, id, address.District);
                AddString(index, id, address.State);
                AddString(index, id, address.PostalCode);
                AddString(index, id, address.Country);
                break;
            case PrimitiveType { JsonValue: string text }:
                AddString(index, id, text);
                break;
            case PrimitiveType { JsonValue: not null } other:
                AddString(index, id, Convert.ToString(other.JsonValue, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void AddTokens(ResourceIndex index, int id, Base value)
    {
        switch (value)
        {
            case Coding coding:
                AddCoding(index, id, coding);
                break;
            case CodeableConcept concept:
                foreach (var coding in concept.Coding)
                {
                    AddCoding(index, id, coding);
                }

                if (!string.IsNullOrWhiteSpace(concept.Text))
                {
                    index.Tokens.Add(new TokenIndexValue(id, null, null, TextNormalizer.Fold(concept.Text)));
                }

                break;
            case Identifier identifier when identifier.Value is not null:
                index.Tokens.Add(new TokenIndexValue(id, identifier.System, identifier.Value, Folded(identifier.Type?.Text)));
                break;
            case ContactPoint contact when contact.Value is not null:
                index.Tokens.Add(new TokenIndexValue(id, contact.System is { } s ? Hl7.Fhir.Utility.EnumUtility.GetLiteral(s) : null, contact.Value, null));
                break;
            case FhirBoolean { Value: { } flag }:
                index.Tokens.Add(new TokenIndexValue(id, null, flag ? "true" : "false", null));
                break;
            case PrimitiveType { JsonValue: not null } primitive:
                var code = Convert.ToString(primitive.JsonValue, CultureInfo.InvariantCulture);
                if (!string.IsNullOrEmpty(code))
                {
                    // Enumerated codes carry their code system (e.g. administrative-gender), so "system|code" works too.
                    var system = EnumSystem(primitive.GetType(), code);
                    index.Tokens.Add(new TokenIndexValue(id, system, code, null));
                }

                break;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), string?> EnumSystems = new();

    private static string? EnumSystem(Type primitiveType, string code)
    {
        if (!primitiveType.IsGenericType || primitiveType.GetGenericArguments()[0] is not { IsEnum: true } enumType)
        {
            return null;
        }

        return EnumSystems.GetOrAdd((enumType, code), key =>
            Hl7.Fhir.Utility.EnumUtility.ParseLiteral(key.Item2, key.Item1) is Enum literal ? Hl7.Fhir.Utility.EnumUtility.GetSystem(literal) : null);
    }

    private static void AddCoding(ResourceIndex index, int id, Coding coding)
    {
        if (coding.Code is not null || coding.System is not null)
        {
            index.Tokens.Add(new TokenIndexValue(id, coding.System, coding.Code, Folded(coding.Display)));
        }
    }

    private static string? Folded(string? text) => string.IsNullOrWhiteSpace(text) ? null : TextNormalizer.Fold(text);

    private static void AddDates(ResourceIndex index, int id, Base value)
    {
        switch (value)
        {
            case Period period:
                var hasStart = FhirDateRange.TryParse(period.Start, out var start);
                var hasEnd = FhirDateRange.TryParse(period.End, out var end);
                if (hasStart || hasEnd)
                {
                    // FHIR R4 datatypes.html#Period: a missing end means ongoing, a missing start means unknown.
                    index.Dates.Add(new DateIndexValue(id, hasStart ? start.Low : 0, hasEnd ? end.High : DateTime.MaxValue.Ticks));
                }

                break;
            case Timing timing:
                foreach (var e in timing.EventElement)
                {
                    if (FhirDateRange.TryParse(e.Value, out var range))
                    {
                        index.Dates.Add(new DateIndexValue(id, range.Low, range.High));
                    }
                }

                break;
            case Instant { Value: { } instant }:
                index.Dates.Add(new DateIndexValue(id, instant.UtcTicks, instant.UtcTicks));
                break;
            case PrimitiveType { JsonValue: string text } when FhirDateRange.TryParse(text, out var parsed):
                index.Dates.Add(new DateIndexValue(id, parsed.Low, parsed.High));
                break;
        }
    }

    private static void AddReference(ResourceIndex index, int id, Base value)
    {
        string? reference = value switch
        {
            ResourceReference r => r.Reference,
            PrimitiveType { JsonValue: string s } => s,
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(reference))
        {
            return;
        }

        var parsed = ReferenceParser.Parse(reference);
        if (parsed.IsLocal)
        {
            index.References.Add(new ReferenceIndexValue(id, parsed.TargetType, parsed.TargetId!));
        }
        else if (!reference.StartsWith('#'))
        {
            index.References.Add(new ReferenceIndexValue(id, null, reference));
        }
    }

    private static void AddQuantity(ResourceIndex index, int id, Base value)
    {
        switch (value)
        {
            case Quantity quantity when Amount(quantity.ValueElement) is { } v:
                index.Quantities.Add(new QuantityIndexValue(id, quantity.System, quantity.Code ?? quantity.Unit, v, v));
                if (quantity.Unit is not null && quantity.Code is not null && quantity.Unit != quantity.Code)
                {
                    index.Quantities.Add(new QuantityIndexValue(id, null, quantity.Unit, v, v));
                }

                break;
            case Money money when Amount(money.ValueElement) is { } amount:
                index.Quantities.Add(new QuantityIndexValue(id, "urn:iso:std:iso:4217", money.Currency?.ToString(), amount, amount));
                break;
            case Hl7.Fhir.Model.Range range when Amount(range.Low?.ValueElement) is not null || Amount(range.High?.ValueElement) is not null:
                index.Quantities.Add(new QuantityIndexValue(
                    id, range.Low?.System ?? range.High?.System, range.Low?.Code ?? range.High?.Code,
                    Amount(range.Low?.ValueElement), Amount(range.High?.ValueElement)));
                break;
        }
    }

    /// <summary>
    /// The raw value, not <c>FhirDecimal.Value</c>: a decimal beyond System.Decimal's range is kept as its JSON text
    /// (tolerated on parse) and the typed getter would throw.
    /// </summary>
    private static double? Amount(FhirDecimal? element) =>
        element?.JsonValue is { } raw && TryDouble(raw, out var amount) && double.IsFinite(amount) ? amount : null;

    private static bool TryDouble(object value, out double result)
    {
        switch (value)
        {
            case decimal m:
                result = (double)m;
                return true;
            case int i:
                result = i;
                return true;
            case long l:
                result = l;
                return true;
            default:
                return double.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out result);
        }
    }
}
