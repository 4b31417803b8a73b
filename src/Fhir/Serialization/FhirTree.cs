using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Serialization;

/// <summary>Walks a parsed resource (contained resources included), yielding every element with its path for messages.</summary>
internal static class FhirTree
{
    /// <summary>
    /// The elements of one type, with their paths. Paths are built only for what is found: writing "Bundle.entry[3]..."
    /// for every element of a large resource cost more than the walk itself on the bulk-import path.
    /// </summary>
    public static IEnumerable<(T Node, string Path)> Find<T>(Base root)
        where T : Base
    {
        var stack = new Stack<(Base Node, PathStep Path)>();
        stack.Push((root, new PathStep(null, root.TypeName, -1)));
        while (stack.Count > 0)
        {
            var (node, path) = stack.Pop();
            if (node is T match)
            {
                yield return (match, path.ToString());
            }

            foreach (var (name, value) in node.EnumerateElements())
            {
                switch (value)
                {
                    case Base child:
                        stack.Push((child, new PathStep(path, name, -1)));
                        break;
                    case System.Collections.IEnumerable list when value is not string:
                        var i = 0;
                        foreach (var item in list)
                        {
                            if (item is Base b)
                            {
                                stack.Push((b, new PathStep(path, name, i)));
                            }

                            i++;
                        }

                        break;
                }
            }
        }
    }

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

    private sealed record PathStep(PathStep? Parent, string Name, int Index)
    {
        public override string ToString()
        {
            var text = Index >= 0 ? $"{Name}[{Index}]" : Name;
            return Parent is null ? text : $"{Parent}.{text}";
        }
    }
}
