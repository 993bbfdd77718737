using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Core.Engine;

/// <summary>Device-tree edits through <c>/proc/powerpc/ofdt</c>, as drmgr makes them: parents first on add, leaves first on remove.</summary>
internal static class TreeEdits
{
    /// <summary>Adds a configured subtree under a parent path; on failure removes what it added and rethrows.</summary>
    public static void Attach(IGuestKernel kernel, string parentPath, DtNode subtree)
    {
        var added = new List<string>();
        try
        {
            Add(kernel, parentPath, subtree, added);
        }
        catch (KernelException)
        {
            for (int i = added.Count - 1; i >= 0; i--)
            {
                TryRemove(kernel, added[i]);
            }

            throw;
        }
    }

    /// <summary>Removes a node and everything below it, leaves first.</summary>
    public static void Detach(IGuestKernel kernel, DtNode node)
    {
        foreach (DtNode child in node.Children)
        {
            Detach(kernel, child);
        }

        kernel.WriteOfdt(new OfdtCommand.RemoveNode(node.Path));
    }

    public static string Join(string parentPath, string name) => parentPath == "/" ? "/" + name : parentPath + "/" + name;

    private static void Add(IGuestKernel kernel, string parentPath, DtNode node, List<string> added)
    {
        string path = Join(parentPath, node.Name);
        OfdtProperty[] properties = [.. node.Properties.Where(p => p.Name != "name").Select(p => new OfdtProperty(p.Name, p.Value.ToArray()))];
        kernel.WriteOfdt(new OfdtCommand.AddNode(path, properties));
        added.Add(path);
        foreach (DtNode child in node.Children)
        {
            Add(kernel, path, child, added);
        }
    }

    private static void TryRemove(IGuestKernel kernel, string path)
    {
        try
        {
            kernel.WriteOfdt(new OfdtCommand.RemoveNode(path));
        }
        catch (KernelException)
        {
            // Undoing what we added; a node already gone is what we want.
        }
    }
}
