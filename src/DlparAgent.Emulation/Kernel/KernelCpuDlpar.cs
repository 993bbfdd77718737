using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>Linux <c>hotplug-cpu.c</c>: <c>cpu add|remove index X</c> and the old probe/release files.</summary>
internal sealed class KernelCpuDlpar(KernelState state, KernelRtas rtas)
{
    public void Add(uint index)
    {
        DtNode cpus = state.Tree.Find("/cpus") ?? throw new KernelException(Errno.ENODEV, "no /cpus node");
        if (cpus.Children.Any(c => c.GetUInt32(KernelTree.MyDrcIndex) == index))
        {
            throw new KernelException(Errno.EINVAL, $"CPU with drc index {index:x} already exists");
        }

        if (!KernelTree.Describes(cpus, index))
        {
            throw new KernelException(Errno.EINVAL, $"Cannot find CPU (drc index {index:x}) to add");
        }

        if (rtas.Acquire(index) != 0)
        {
            throw new KernelException(Errno.EINVAL, $"Failed to acquire DRC {index:x}");
        }

        DtNode node;
        try
        {
            node = rtas.ConfigureConnector(index);
            KernelTree.Attach(state, cpus, node);
        }
        catch (KernelException)
        {
            rtas.Release(index);
            throw new KernelException(Errno.EINVAL, $"Failed to configure and attach CPU {index:x}");
        }

        AddThreads(node);
        foreach (CpuThread thread in ThreadsOf(node))
        {
            state.Cpus[thread.Number] = thread with { Online = true };
        }
    }

    public void Remove(uint index)
    {
        DtNode cpus = state.Tree.Find("/cpus") ?? throw new KernelException(Errno.ENODEV, "no /cpus node");
        DtNode node = cpus.Children.FirstOrDefault(c => c.GetUInt32(KernelTree.MyDrcIndex) == index)
            ?? throw new KernelException(Errno.ENODEV, $"Cannot find CPU (drc index {index:x}) to remove");
        CpuThread[] threads = [.. ThreadsOf(node)];
        if (!state.Cpus.Values.Any(c => c.Online && !threads.Any(t => t.Number == c.Number)))
        {
            // Linux 6.1: offlining fails with -EBUSY inside, and the writer is told EINVAL.
            throw new KernelException(Errno.EINVAL, "Unable to remove last online CPU (Failed to offline CPU, rc: -16)");
        }

        foreach (CpuThread thread in threads)
        {
            state.Cpus[thread.Number] = thread with { Online = false };
        }

        int rc = rtas.Release(index);
        if (rc != 0)
        {
            foreach (CpuThread thread in threads)
            {
                state.Cpus[thread.Number] = thread with { Online = true };
            }

            rtas.Unisolate(index);
            throw new KernelException(rc == -1 ? Errno.EINVAL : KernelException.FromRtas(new(rc)), $"Failed to release DRC {index:x}");
        }

        foreach (CpuThread thread in threads)
        {
            state.Cpus.Remove(thread.Number);
        }

        cpus.RemoveChild(node);
    }

    /// <summary>Old kernels' <c>cpu/probe</c>: acquire, configure and attach; threads appear offline.</summary>
    public void Probe(uint index)
    {
        DtNode cpus = state.Tree.Find("/cpus") ?? throw new KernelException(Errno.ENODEV, "no /cpus node");
        if (cpus.Children.Any(c => c.GetUInt32(KernelTree.MyDrcIndex) == index))
        {
            throw new KernelException(Errno.EINVAL, $"CPU with drc index {index:x} already exists");
        }

        int rc = rtas.Acquire(index);
        if (rc != 0)
        {
            throw new KernelException(rc == -1 ? Errno.EINVAL : KernelException.FromRtas(new(rc)), $"Failed to acquire DRC {index:x}");
        }

        try
        {
            DtNode node = rtas.ConfigureConnector(index);
            KernelTree.Attach(state, cpus, node);
            AddThreads(node);
        }
        catch (KernelException)
        {
            rtas.Release(index);
            throw;
        }
    }

    /// <summary>Old kernels' <c>cpu/release</c>: the threads must be offline; release and detach.</summary>
    public void Release(string path)
    {
        DtNode node = state.Tree.Find(path) ?? throw new KernelException(Errno.ENODEV, $"no node {path}");
        if (node.Parent?.Path != "/cpus" || node.GetUInt32(KernelTree.MyDrcIndex) is not { } index)
        {
            throw new KernelException(Errno.EINVAL, $"{path} is not a CPU node");
        }

        CpuThread[] threads = [.. ThreadsOf(node)];
        if (threads.Any(t => t.Online))
        {
            throw new KernelException(Errno.EBUSY, $"{path} still has online threads");
        }

        int rc = rtas.Release(index);
        if (rc != 0)
        {
            throw new KernelException(rc == -1 ? Errno.EINVAL : KernelException.FromRtas(new(rc)), $"Failed to release DRC {index:x}");
        }

        foreach (CpuThread thread in threads)
        {
            state.Cpus.Remove(thread.Number);
        }

        node.Parent.RemoveChild(node);
    }

    public void AddThreads(DtNode node) => AddThreads(state, node);

    /// <summary><c>pseries_add_processor</c>: every hardware thread of the node becomes a present, offline logical CPU.</summary>
    public static void AddThreads(KernelState state, DtNode node)
    {
        foreach (uint server in Servers(node))
        {
            if (state.Cpus.Values.Any(c => c.PhysicalId == server))
            {
                continue;
            }

            int number = 0;
            while (state.Cpus.ContainsKey(number))
            {
                number++;
            }

            state.Cpus[number] = new CpuThread(number, server, Online: false);
        }
    }

    public IEnumerable<CpuThread> ThreadsOf(DtNode node)
    {
        uint[] servers = Servers(node);
        return [.. state.Cpus.Values.Where(c => servers.Contains(c.PhysicalId))];
    }

    private static uint[] Servers(DtNode node) =>
        node.GetProperty("ibm,ppc-interrupt-server#s") is { } servers && servers.Length % 4 == 0 ? servers.AsCells() : [];
}
