using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>
/// Linux <c>reconfig.c</c>: applies <c>/proc/powerpc/ofdt</c> commands to the tree, with the
/// attach notifiers that matter here (a CPU node's threads appear, offline).
/// </summary>
internal sealed class OfdtApplier(KernelState state, KernelCpuDlpar cpus)
{
    public void Apply(OfdtCommand command)
    {
        switch (command)
        {
            case OfdtCommand.AddNode add:
                AddNode(add);
                break;
            case OfdtCommand.RemoveNode remove:
                RemoveNode(remove.Path);
                break;
            case OfdtCommand.AddProperty add:
                Node(add.Phandle).SetProperty(new DtProperty(add.Property.Name, add.Property.Value.Span));
                break;
            case OfdtCommand.UpdateProperty update:
                // Since v5.9 an ibm,dynamic-memory update adds or removes no memory; it only rewrites the property.
                Node(update.Phandle).SetProperty(new DtProperty(update.Property.Name, update.Property.Value.Span));
                break;
            case OfdtCommand.RemoveProperty remove:
                if (!Node(remove.Phandle).RemoveProperty(remove.Name))
                {
                    throw new KernelException(Errno.ENODEV, $"no property {remove.Name}");
                }

                break;
        }
    }

    private void AddNode(OfdtCommand.AddNode add)
    {
        if (state.Tree.Find(add.Path) is not null)
        {
            throw new KernelException(Errno.EINVAL, $"{add.Path} already exists");
        }

        int slash = add.Path.LastIndexOf('/');
        DtNode parent = (slash == 0 ? state.Tree : state.Tree.Find(add.Path[..slash]))
            ?? throw new KernelException(Errno.EINVAL, $"the parent of {add.Path} does not exist");
        var node = new DtNode(add.Path[(slash + 1)..]);
        foreach (OfdtProperty property in add.Properties)
        {
            node.SetProperty(new DtProperty(property.Name, property.Value.Span));
        }

        KernelTree.Attach(state, parent, node);
        if (parent.Path == "/cpus" && node.GetString("device_type") == "cpu")
        {
            cpus.AddThreads(node);
        }
    }

    private void RemoveNode(string path)
    {
        DtNode node = state.Tree.Find(path) ?? throw new KernelException(Errno.ENODEV, $"no node {path}");
        if (node.Children.Count > 0)
        {
            throw new KernelException(Errno.EBUSY, $"{path} still has children");
        }

        DtNode parent = node.Parent ?? throw new KernelException(Errno.EINVAL, "the root cannot be removed");
        if (parent.Path == "/cpus")
        {
            CpuThread[] threads = [.. cpus.ThreadsOf(node)];
            if (threads.Any(t => t.Online))
            {
                throw new KernelException(Errno.EBUSY, $"{path} still has online threads");
            }

            foreach (CpuThread thread in threads)
            {
                state.Cpus.Remove(thread.Number);
            }
        }

        parent.RemoveChild(node);
    }

    private DtNode Node(uint phandle) => KernelTree.FindByPhandle(state.Tree, phandle) ?? throw new KernelException(Errno.ENODEV,
        $"no node with phandle 0x{phandle:x}");
}
