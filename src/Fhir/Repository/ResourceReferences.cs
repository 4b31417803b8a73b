using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Repository;

/// <summary>Finds every Reference element in a resource (contained resources included) with its path for messages.</summary>
internal static class ResourceReferences
{
    public static IEnumerable<(ResourceReference Reference, string Path)> Enumerate(Base root)
    {
        var stack = new Stack<(Base Node, string Path)>();
        stack.Push((root, root.TypeName));
        while (stack.Count > 0)
        {
            var (node, path) = stack.Pop();
            if (node is ResourceReference reference)
            {
                yield return (reference, path);
            }

            foreach (var (name, value) in node.EnumerateElements())
            {
                switch (value)
                {
                    case Base child when child is not PrimitiveType:
                        stack.Push((child, $"{path}.{name}"));
                        break;
                    case System.Collections.IEnumerable list when value is not string:
                        var i = 0;
                        foreach (var item in list)
                        {
                            if (item is Base b and not PrimitiveType)
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
