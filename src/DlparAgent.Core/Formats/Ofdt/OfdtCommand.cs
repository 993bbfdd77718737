namespace DlparAgent.Core.Formats.Ofdt;

/// <summary>One command written to <c>/proc/powerpc/ofdt</c> (Linux <c>reconfig.c</c>).</summary>
public abstract record OfdtCommand
{
    private OfdtCommand()
    {
    }

    /// <summary><c>add_node &lt;path&gt; [&lt;name&gt; &lt;len&gt; &lt;bytes&gt;]…</c>: attach a node with its properties.</summary>
    public sealed record AddNode(string Path, IReadOnlyList<OfdtProperty> Properties) : OfdtCommand
    {
        public bool Equals(AddNode? other) => other is not null && Path == other.Path && Properties.SequenceEqual(other.Properties);

        public override int GetHashCode() => HashCode.Combine(Path, Properties.Count);
    }

    /// <summary><c>remove_node &lt;path&gt;</c>: detach a node that has no children.</summary>
    public sealed record RemoveNode(string Path) : OfdtCommand;

    /// <summary><c>add_property &lt;phandle&gt; &lt;name&gt; &lt;len&gt; &lt;bytes&gt;</c>.</summary>
    public sealed record AddProperty(uint Phandle, OfdtProperty Property) : OfdtCommand;

    /// <summary><c>update_property &lt;phandle&gt; &lt;name&gt; &lt;len&gt; &lt;bytes&gt;</c> (adds the property if absent).</summary>
    public sealed record UpdateProperty(uint Phandle, OfdtProperty Property) : OfdtCommand;

    /// <summary><c>remove_property &lt;phandle&gt; &lt;name&gt;</c>.</summary>
    public sealed record RemoveProperty(uint Phandle, string Name) : OfdtCommand;
}
