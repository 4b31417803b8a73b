using System.Text.Json;
using System.Text.Json.Nodes;

namespace YTeSo.Fhir.Repository;

/// <summary>
/// RFC 6902 JSON Patch over the resource's JSON (FHIR R4 http.html#patch). Written by hand because it is ~150 lines
/// and no served package targets System.Text.Json nodes without pulling in a second JSON stack.
/// </summary>
internal static class JsonPatch
{
    public static string Apply(string document, string patch)
    {
        JsonNode root;
        JsonArray operations;
        try
        {
            root = JsonNode.Parse(document)!;
            operations = JsonNode.Parse(patch) as JsonArray ?? throw FhirOperationException.BadRequest("A JSON Patch document must be a JSON array of operations.");
        }
        catch (JsonException e)
        {
            throw FhirOperationException.BadRequest("The JSON Patch document is not valid JSON: " + e.Message);
        }

        foreach (var node in operations)
        {
            if (node is not JsonObject operation)
            {
                throw FhirOperationException.BadRequest("Each JSON Patch operation must be an object.");
            }

            var op = (string?)operation["op"] ?? throw FhirOperationException.BadRequest("A JSON Patch operation has no 'op'.");
            var path = (string?)operation["path"] ?? throw FhirOperationException.BadRequest($"The '{op}' operation has no 'path'.");
            switch (op)
            {
                case "add":
                    Add(ref root, path, Value(operation, op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(ref root, path, Value(operation, op));
                    break;
                case "move":
                    var from = (string?)operation["from"] ?? throw FhirOperationException.BadRequest("'move' needs 'from'.");
                    var moved = Get(root, from).DeepClone();
                    Remove(root, from);
                    Add(ref root, path, moved);
                    break;
                case "copy":
                    var source = (string?)operation["from"] ?? throw FhirOperationException.BadRequest("'copy' needs 'from'.");
                    Add(ref root, path, Get(root, source).DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), Value(operation, op)))
                    {
                        throw FhirOperationException.Unprocessable($"JSON Patch test failed at '{path}'.");
                    }

                    break;
                default:
                    throw FhirOperationException.BadRequest($"'{op}' is not a JSON Patch operation.");
            }
        }

        return root.ToJsonString();
    }

    private static JsonNode? Value(JsonObject operation, string op) =>
        operation.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw FhirOperationException.BadRequest($"The '{op}' operation has no 'value'.");

    private static string[] Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw FhirOperationException.BadRequest($"JSON Pointer '{path}' must start with '/'.");
        }

        return [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode Get(JsonNode root, string path)
    {
        var node = root;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) && child is not null => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count && a[i] is { } item => item,
                _ => throw FhirOperationException.Unprocessable($"JSON Patch path '{path}' does not exist."),
            };
        }

        return node;
    }

    private static void Add(ref JsonNode root, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            root = value ?? throw FhirOperationException.Unprocessable("Cannot replace the whole document with null.");
            return;
        }

        var parent = tokens.Length == 1 ? root : Get(root, "/" + string.Join('/', tokens[..^1].Select(Escape)));

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw FhirOperationException.Unprocessable($"JSON Patch cannot add at '{path}'.");
        }
    }

    private static void Remove(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            throw FhirOperationException.Unprocessable("JSON Patch cannot remove the whole resource.");
        }

        var parent = tokens.Length == 1 ? root : Get(root, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        var removed = parent switch
        {
            JsonObject o => o.Remove(last),
            JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw FhirOperationException.Unprocessable($"JSON Patch path '{path}' does not exist.");
        }
    }

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
