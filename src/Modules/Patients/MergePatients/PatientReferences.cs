using Hl7.Fhir.Model;

namespace YTeSo.Patients.MergePatients;

/// <summary>
/// Finds and rewrites local references to one Patient anywhere in a resource (contained resources and extensions
/// included). Paths are element names with list indexes from the root (<c>Observation.contained[0].subject</c>); the
/// same walk gives the same paths, which is how an unmerge finds what the merge changed.
/// </summary>
internal static class PatientReferences
{
    /// <summary>Every reference whose text is <c>Patient/{id}</c> or <c>Patient/{id}/_history/n</c>, with its path.</summary>
    public static List<(string Path, ResourceReference Reference)> To(Base root, string patientId)
    {
        var found = new List<(string, ResourceReference)>();
        Walk(root, root.TypeName, patientId, found);
        return found;
    }

    /// <summary>Points every reference to <paramref name="from"/> at <paramref name="to"/>; returns "path original" lines.</summary>
    public static List<string> Repoint(Base root, string from, string to)
    {
        var changed = new List<string>();
        foreach (var (path, reference) in To(root, from))
        {
            changed.Add($"{path} {reference.Reference}");
            reference.Reference = $"Patient/{to}";
        }

        return changed;
    }

    /// <summary>Puts back the recorded references (lines of <see cref="Repoint"/>) that still point at <paramref name="to"/>.</summary>
    public static List<string> Restore(Base root, string to, IEnumerable<string> recorded)
    {
        var current = To(root, to).ToDictionary(x => x.Path, x => x.Reference, StringComparer.Ordinal);
        var restored = new List<string>();
        foreach (var line in recorded)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && current.TryGetValue(line[..space], out var reference))
            {
                reference.Reference = line[(space + 1)..];
                restored.Add(line[..space]);
            }
        }

        return restored;
    }

    private static void Walk(Base node, string path, string patientId, List<(string, ResourceReference)> found)
    {
        if (node is ResourceReference { Reference: { } text } reference && Points(text, patientId))
        {
            found.Add((path, reference));
        }

        foreach (var (name, value) in node.EnumerateElements())
        {
            if (value is Base child)
            {
                Walk(child, $"{path}.{name}", patientId, found);
            }
            else if (value is System.Collections.IEnumerable list and not string)
            {
                var i = 0;
                foreach (var item in list)
                {
                    if (item is Base b)
                    {
                        Walk(b, $"{path}.{name}[{i}]", patientId, found);
                    }

                    i++;
                }
            }
        }
    }

    private static bool Points(string text, string patientId)
    {
        var prefix = $"Patient/{patientId}";
        return text == prefix || text.StartsWith(prefix + "/_history/", StringComparison.Ordinal);
    }
}
