using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace YTeSo.Fhir.Indexing;

/// <summary>
/// The compiled extraction of one search parameter for one resource type. Most R4 expressions are plain paths
/// ("Observation.code", "(Observation.effective as dateTime)", "Patient.telecom.where(system='phone')",
/// "Encounter.subject.where(resolve() is Patient)"); those are walked directly over the POCO, which is many times
/// faster than the general FHIRPath engine. Anything else is compiled once with Firely's FHIRPath compiler.
/// </summary>
internal sealed class ResourcePath
{
    private static readonly FhirPathCompiler Compiler = new();
    private readonly IReadOnlyList<Step[]> _simpleBranches;
    private readonly CompiledExpression? _compiled;

    private ResourcePath(IReadOnlyList<Step[]> simpleBranches, CompiledExpression? compiled)
    {
        _simpleBranches = simpleBranches;
        _compiled = compiled;
    }

    public bool IsFast => _compiled is null;

    /// <summary>Keeps the branches of a shared expression that apply to <paramref name="resourceType"/>.</summary>
    public static ResourcePath? ForType(string expression, string resourceType, string definedOn)
    {
        var branches = SplitTopLevel(expression, '|').Select(b => b.Trim()).Where(b => b.Length > 0).ToList();
        var mine = branches.Where(b => AppliesTo(b, resourceType, definedOn)).ToList();
        if (mine.Count == 0)
        {
            return null;
        }

        var simple = new List<Step[]>();
        foreach (var branch in mine)
        {
            var steps = TryParseSimple(branch);
            if (steps is null)
            {
                try
                {
                    return new ResourcePath([], Compiler.Compile(string.Join(" | ", mine)));
                }
                catch (Exception)
                {
                    return null; // an expression Firely cannot compile is not indexed rather than failing every write
                }
            }

            simple.Add(steps);
        }

        return new ResourcePath(simple, null);
    }

    public IEnumerable<Base> Select(Resource resource)
    {
        if (_compiled is not null)
        {
            foreach (var node in _compiled(resource.ToPocoNode(), new FhirEvaluationContext()))
            {
                if (node.Poco is { } poco)
                {
                    yield return poco;
                }
            }

            yield break;
        }

        foreach (var branch in _simpleBranches)
        {
            foreach (var value in Walk(resource, branch, 0))
            {
                yield return value;
            }
        }
    }

    private static IEnumerable<Base> Walk(Base node, Step[] steps, int index)
    {
        if (index == steps.Length)
        {
            yield return node;
            yield break;
        }

        var step = steps[index];
        switch (step.Kind)
        {
            case StepKind.Child:
                if (!node.TryGetValue(step.Name, out var child) || child is null)
                {
                    yield break;
                }

                if (child is Base single)
                {
                    foreach (var v in Walk(single, steps, index + 1))
                    {
                        yield return v;
                    }
                }
                else if (child is System.Collections.IEnumerable many)
                {
                    foreach (var item in many)
                    {
                        if (item is Base b)
                        {
                            foreach (var v in Walk(b, steps, index + 1))
                            {
                                yield return v;
                            }
                        }
                    }
                }

                break;
            case StepKind.OfType:
                if (step.Type!.IsInstanceOfType(node))
                {
                    foreach (var v in Walk(node, steps, index + 1))
                    {
                        yield return v;
                    }
                }

                break;
            case StepKind.ResolvesTo:
                if (node is ResourceReference reference && ReferenceTypeIs(reference.Reference, step.Name))
                {
                    foreach (var v in Walk(node, steps, index + 1))
                    {
                        yield return v;
                    }
                }

                break;
            case StepKind.WhereEquals:
                if (node.TryGetValue(step.Name, out var field) && field is PrimitiveType primitive
                    && string.Equals(Convert.ToString(primitive.JsonValue, System.Globalization.CultureInfo.InvariantCulture), step.Literal, StringComparison.Ordinal))
                {
                    foreach (var v in Walk(node, steps, index + 1))
                    {
                        yield return v;
                    }
                }

                break;
        }
    }

    private static bool ReferenceTypeIs(string? reference, string type)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return false;
        }

        var parsed = ReferenceParser.Parse(reference);
        return parsed.TargetType == type;
    }

    private static bool AppliesTo(string branch, string resourceType, string definedOn)
    {
        var body = branch.TrimStart('(').TrimStart();
        var head = body.Split('.', 2)[0];
        if (head == resourceType)
        {
            return true;
        }

        // Resource-level parameters (_tag, _profile, _security, _source) are written against "Resource.meta...".
        return (head == "Resource" || head == "DomainResource") && (definedOn == "Resource" || definedOn == "DomainResource");
    }

    private enum StepKind
    {
        Child,
        OfType,
        ResolvesTo,
        WhereEquals,
    }

    private sealed record Step(StepKind Kind, string Name, Type? Type = null, string? Literal = null);

    private static Step[]? TryParseSimple(string branch)
    {
        var text = branch.Trim();
        string? asType = null;

        // "(Observation.effective as dateTime)"
        if (text.StartsWith('(') && text.EndsWith(')'))
        {
            text = text[1..^1].Trim();
            var asIndex = text.IndexOf(" as ", StringComparison.Ordinal);
            if (asIndex > 0)
            {
                asType = text[(asIndex + 4)..].Trim();
                text = text[..asIndex].Trim();
            }
        }

        var parts = SplitTopLevel(text, '.');
        if (parts.Count < 2)
        {
            return null;
        }

        var steps = new List<Step>();
        foreach (var part in parts.Skip(1))
        {
            if (IsIdentifier(part))
            {
                steps.Add(new Step(StepKind.Child, part));
            }
            else if (TryCall(part, "as", out var arg) || TryCall(part, "ofType", out arg))
            {
                if (ResolveType(arg) is not { } type)
                {
                    return null;
                }

                steps.Add(new Step(StepKind.OfType, arg, type));
            }
            else if (TryCall(part, "where", out arg))
            {
                var resolve = System.Text.RegularExpressions.Regex.Match(arg, @"^resolve\(\)\s+is\s+([A-Za-z]+)$");
                var equals = System.Text.RegularExpressions.Regex.Match(arg, @"^([A-Za-z]+)\s*=\s*'([^']*)'$");
                if (resolve.Success)
                {
                    steps.Add(new Step(StepKind.ResolvesTo, resolve.Groups[1].Value));
                }
                else if (equals.Success)
                {
                    steps.Add(new Step(StepKind.WhereEquals, equals.Groups[1].Value, Literal: equals.Groups[2].Value));
                }
                else
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }

        if (asType is not null)
        {
            if (ResolveType(asType) is not { } type)
            {
                return null;
            }

            steps.Add(new Step(StepKind.OfType, asType, type));
        }

        return [.. steps];
    }

    private static Type? ResolveType(string fhirType) => fhirType switch
    {
        "string" => typeof(FhirString),
        "boolean" => typeof(FhirBoolean),
        "uri" => typeof(FhirUri),
        "decimal" => typeof(FhirDecimal),
        _ => ModelInfo.GetTypeForFhirType(fhirType),
    };

    private static bool TryCall(string part, string function, out string argument)
    {
        argument = string.Empty;
        if (part.StartsWith(function + "(", StringComparison.Ordinal) && part.EndsWith(')'))
        {
            argument = part[(function.Length + 1)..^1].Trim();
            return true;
        }

        return false;
    }

    private static bool IsIdentifier(string part) => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && char.IsAsciiLetter(part[0]);

    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var inQuote = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                inQuote = !inQuote;
            }
            else if (!inQuote && c == '(')
            {
                depth++;
            }
            else if (!inQuote && c == ')')
            {
                depth--;
            }
            else if (!inQuote && depth == 0 && c == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }
}
