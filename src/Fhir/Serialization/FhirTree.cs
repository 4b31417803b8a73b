using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Serialization;

/// <summary>Walks a parsed resource (contained resources included), yielding every element with its path for messages.</summary>
internal static class FhirTree
{
    public static IEnumerable<(Base Node, string Path)> Descendants(Base root)
    {
        var stack = new Stack<(Base Node, string Path)>();
        stack.Push((root, root.TypeName));
        while (stack.Count > 0)
        {
            var (node, path) = stack.Pop();
            yield return (node, path);
            foreach (var (name, value) in node.EnumerateElements())
            {
                switch (value)
                {
                    case Base child:
                        stack.Push((child, $"{path}.{name}"));
                        break;
                    case System.Collections.IEnumerable list when value is not string:
                        var i = 0;
                        foreach (var item in list)
                        {
                            if (item is Base b)
                            {
                                stack.Push((b, $"{path}.{name}[{i}]"));
                            }

                            i++;
                        }

                        break;
                }
            }
        }
    }
}
