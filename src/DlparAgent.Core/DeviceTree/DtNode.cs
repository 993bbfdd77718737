namespace DlparAgent.Core.DeviceTree;

/// <summary>
/// A device-tree node: its full name (with unit address, e.g. <c>PowerPC,POWER9@8</c>), its
/// properties in order and its children in order. Names are unique among siblings.
/// </summary>
public sealed class DtNode
{
    private readonly List<DtProperty> _properties = [];
    private readonly List<DtNode> _children = [];

    // Built once a node has many children (the old memory@ layout has one per LMB), so lookups stay O(1).
    private Dictionary<string, DtNode>? _childIndex;
    private const int ChildIndexThreshold = 16;

    public DtNode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('/'))
        {
            throw new ArgumentException($"node name '{name}' contains '/'", nameof(name));
        }

        Name = name;
    }

    /// <summary>The full node name including any unit address; empty for the root.</summary>
    public string Name { get; }

    /// <summary>The part of the name before '@'.</summary>
    public string BaseName => Name.IndexOf('@') is var at and >= 0 ? Name[..at] : Name;

    /// <summary>The unit address after '@', or null.</summary>
    public string? UnitAddress => Name.IndexOf('@') is var at and >= 0 ? Name[(at + 1)..] : null;

    public DtNode? Parent { get; private set; }

    public IReadOnlyList<DtProperty> Properties => _properties;

    public IReadOnlyList<DtNode> Children => _children;

    public string Path => Parent is null ? "/" : Parent.Parent is null ? "/" + Name : Parent.Path + "/" + Name;

    /// <summary>Nesting depth: 0 for the root.</summary>
    public int Depth => Parent is null ? 0 : Parent.Depth + 1;

    /// <summary>The node's phandle from <c>phandle</c>, <c>ibm,phandle</c> or <c>linux,phandle</c>.</summary>
    public uint? Phandle =>
        (GetProperty("phandle") ?? GetProperty("ibm,phandle") ?? GetProperty("linux,phandle")) is { Length: 4 } p
            ? p.AsUInt32()
            : null;

    public DtProperty? GetProperty(string name)
    {
        foreach (DtProperty property in _properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }

    public bool HasProperty(string name) => GetProperty(name) is not null;

    public uint? GetUInt32(string name) => GetProperty(name)?.AsUInt32();

    public string? GetString(string name) => GetProperty(name)?.AsString();

    /// <summary>Adds a property, or replaces one of the same name in place.</summary>
    public DtProperty SetProperty(DtProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        if (property.Owner is not null)
        {
            throw new InvalidOperationException($"property {property.Name} already belongs to {property.Owner.Path}");
        }

        int existing = _properties.FindIndex(p => p.Name == property.Name);
        if (existing >= 0)
        {
            _properties[existing].Owner = null;
            _properties[existing] = property;
        }
        else
        {
            _properties.Add(property);
        }

        property.Owner = this;
        return property;
    }

    /// <summary>Adds a property that must not exist yet.</summary>
    public DtProperty AddProperty(DtProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        if (HasProperty(property.Name))
        {
            throw new InvalidOperationException($"{Path} already has a property {property.Name}");
        }

        return SetProperty(property);
    }

    public bool RemoveProperty(string name)
    {
        int index = _properties.FindIndex(p => p.Name == name);
        if (index < 0)
        {
            return false;
        }

        _properties[index].Owner = null;
        _properties.RemoveAt(index);
        return true;
    }

    public DtNode? GetChild(string name)
    {
        if (_childIndex is not null)
        {
            return _childIndex.GetValueOrDefault(name);
        }

        foreach (DtNode child in _children)
        {
            if (child.Name == name)
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>Adds a detached node as the last child.</summary>
    public DtNode AddChild(DtNode child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (child.Parent is not null)
        {
            throw new InvalidOperationException($"node {child.Name} is already attached under {child.Parent.Path}");
        }

        if (GetChild(child.Name) is not null)
        {
            throw new InvalidOperationException($"{Path} already has a child {child.Name}");
        }

        _children.Add(child);
        child.Parent = this;
        if (_childIndex is not null)
        {
            _childIndex.Add(child.Name, child);
        }
        else if (_children.Count > ChildIndexThreshold)
        {
            _childIndex = _children.ToDictionary(c => c.Name, StringComparer.Ordinal);
        }

        return child;
    }

    public DtNode AddChild(string name) => AddChild(new DtNode(name));

    /// <summary>Detaches a child (with its subtree).</summary>
    public bool RemoveChild(DtNode child)
    {
        if (!_children.Remove(child))
        {
            return false;
        }

        _childIndex?.Remove(child.Name);
        child.Parent = null;
        return true;
    }

    /// <summary>Finds a node by absolute path (from the root) or by a path relative to this node.</summary>
    public DtNode? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        DtNode? current = this;
        if (path.StartsWith('/'))
        {
            while (current.Parent is not null)
            {
                current = current.Parent;
            }
        }

        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current.GetChild(part);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>This node and all its descendants, depth first, parents before children.</summary>
    public IEnumerable<DtNode> DescendantsAndSelf()
    {
        var stack = new Stack<DtNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            DtNode node = stack.Pop();
            yield return node;
            for (int i = node._children.Count - 1; i >= 0; i--)
            {
                stack.Push(node._children[i]);
            }
        }
    }

    /// <summary>A deep copy, detached from any parent.</summary>
    public DtNode Clone()
    {
        var copy = new DtNode(Name);
        foreach (DtProperty property in _properties)
        {
            copy.AddProperty(new DtProperty(property.Name, property.Value));
        }

        foreach (DtNode child in _children)
        {
            copy.AddChild(child.Clone());
        }

        return copy;
    }

    public override string ToString() => Path;
}
