using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Memory;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>An emulated partition, a journal and an engine, with the checks every engine test makes.</summary>
internal sealed class EngineHarness
{
    public EngineHarness(string kernelDlpar, Func<MachineProfile, MachineProfile>? adjust = null, IJournal? journal = null)
    {
        var profile = new MachineProfile { BootCpus = 2, MaxCpus = 8, Memory = 2 * MachineProfile.GiB, MaxMemory = 8 * MachineProfile.GiB };
        // "-" is a kernel with neither /sys/kernel/dlpar nor the cpu probe files: everything in userspace.
        KernelFeatures features = kernelDlpar == "-" ? new KernelFeatures(KernelDlparCapabilities.None, CpuProbe: false,
            MemoryProbe: true) : KernelFeatures.FromList(kernelDlpar);
        Partition = EmulatedPartition.Create(adjust is null ? profile : adjust(profile), features, FixedClock.Default);
        Journal = journal ?? new MemoryJournal();
    }

    public EmulatedPartition Partition { get; }

    public IJournal Journal { get; }

    /// <summary>The firmware the engine talks to; tests may wrap it.</summary>
    public IRtas Firmware { get; set; } = null!;

    public DlparEngine Engine() => new(Firmware ?? Partition.Platform, Partition.Kernel, Journal, new EngineOptions { Sleep = _ => { }, RandomSeed = 7,
        Clock = FixedClock.Default });

    public DlparResult Run(string request) => Engine().Execute(RequestGrammar.Parse(request).Request);

    /// <summary>Makes resources available PowerVM-style (no event), as the HMC does before it runs drmgr.</summary>
    public void Assign(int cores = 0, ulong memory = 0, bool io = false)
    {
        if (io)
        {
            Partition.Platform.Management.PlugPci(0, 2, 0, null, null, Emulation.Devices.DeviceOrigin.Assigned);
            Partition.Platform.Management.PlugPhb(1, null, Emulation.Devices.DeviceOrigin.Assigned);
        }

        for (int core = 0; core < cores; core++)
        {
            Partition.Platform.Management.PlugCpu(2 + core, null, Emulation.Devices.DeviceOrigin.Assigned);
        }

        if (memory > 0)
        {
            Partition.Platform.Management.PlugMemory(memory, 0, null, Emulation.Devices.DeviceOrigin.Assigned);
        }
    }

    /// <summary>Connectors the partition owns: CPU and LMB indexes.</summary>
    public HashSet<uint> Owned()
    {
        DtNode tree = Partition.Kernel.ReadDeviceTree();
        // Every configured node names its connector: CPUs, PHBs, PCI functions, virtual adapters, old-layout memory.
        HashSet<uint> owned = [.. tree.DescendantsAndSelf().Select(c => c.GetUInt32("ibm,my-drc-index")).OfType<uint>()];
        if (DynamicReconfigurationMemory.FromTree(tree) is { } memory)
        {
            owned.UnionWith(memory.Lmbs.Where(l => l.IsAssigned && l.IsDynamic).Select(l => l.DrcIndex));
        }

        return owned;
    }

    /// <summary>Every CPU and LMB connector is fully owned or fully released, and the journal has nothing open.</summary>
    public void AssertConsistent(string context, IJournal? journal = null)
    {
        journal ??= Journal;
        DtNode tree = Partition.Kernel.ReadDeviceTree();
        IReadOnlyList<CpuThread> threads = Partition.Kernel.ReadCpuThreads();
        foreach (EmulatedDrc drc in Partition.Platform.State.Connectors.Where(d => d.Kind == DrcKind.Cpu))
        {
            DtNode? node = tree.Find("/cpus")!.Children.FirstOrDefault(c => c.GetUInt32("ibm,my-drc-index") == drc.Index);
            uint[] servers = node?.GetProperty("ibm,ppc-interrupt-server#s")?.AsCells() ?? [];
            bool owned = drc.State == DrcState.LogicalConfigured && node is not null && servers.All(s => threads.Any(t => t.PhysicalId == s && t.Online));
            bool released = drc.State == DrcState.LogicalUnusable && node is null;
            Assert.True(owned || released,
                $"{context}: {drc.Name} is {drc.State}, node {(node is null ? "absent" : "present")}, threads {string.Join(",", threads)}");
        }

        if (DynamicReconfigurationMemory.FromTree(tree) is { } memory)
        {
            Dictionary<int, MemoryBlock> blocks = Partition.Kernel.ReadMemoryBlocks().ToDictionary(b => b.Number);
            foreach (var lmb in memory.Lmbs.Where(l => l.IsDynamic))
            {
                EmulatedDrc drc = Partition.Platform.State.FindDrc(lmb.DrcIndex)!;
                int block = (int)(lmb.BaseAddress / Partition.Kernel.ReadMemoryBlockSize());
                bool online = blocks.TryGetValue(block, out MemoryBlock b) && b.Online;
                bool owned = drc.State == DrcState.LogicalConfigured && lmb.IsAssigned && online;
                bool released = drc.State == DrcState.LogicalUnusable && !lmb.IsAssigned && !online;
                Assert.True(owned || released, $"{context}: {drc.Name} is {drc.State}, assigned {lmb.IsAssigned}, online {online}");
            }
        }

        if (DynamicReconfigurationMemory.FromTree(tree) is null)
        {
            Dictionary<int, MemoryBlock> blocks = Partition.Kernel.ReadMemoryBlocks().ToDictionary(b => b.Number);
            foreach (EmulatedDrc drc in Partition.Platform.State.Connectors.Where(d => d.Kind == DrcKind.Lmb))
            {
                DtNode? node = tree.Children.FirstOrDefault(n => n.BaseName == "memory" && n.GetUInt32("ibm,my-drc-index") == drc.Index);
                int block = (int)(drc.Index - DrcNumbering.LmbBase);
                bool online = blocks.TryGetValue(block, out MemoryBlock b) && b.Online;
                bool owned = drc.State == DrcState.LogicalConfigured && node is not null && online;
                bool released = drc.State == DrcState.LogicalUnusable && node is null && !online;
                Assert.True(owned || released, $"{context}: {drc.Name} is {drc.State}, node {(node is null ? "absent" : "present")}, online {online}");
            }
        }

        IReadOnlyCollection<string> devices = [.. Partition.Kernel.ReadPciDevices().Keys];
        IReadOnlyCollection<string> slots = Partition.Kernel.ReadDlparSlots();
        foreach (EmulatedDrc drc in Partition.Platform.State.Connectors.Where(d => d.Kind is DrcKind.Pci or DrcKind.Phb or DrcKind.VioSlot))
        {
            DtNode[] nodes = [.. tree.DescendantsAndSelf().Where(n => n.GetUInt32("ibm,my-drc-index") == drc.Index)];
            bool owned, released;
            if (drc.Kind == DrcKind.Pci)
            {
                owned = drc.State == DrcState.PhysicalConfigured && nodes.Length > 0 && nodes.All(n => devices.Contains(n.Path));
                released = drc.State == DrcState.PhysicalPowerOn && nodes.Length == 0;
            }
            else
            {
                owned = drc.State == DrcState.LogicalConfigured && nodes.Length > 0 && slots.Contains(drc.Name);
                released = drc.State == DrcState.LogicalUnusable && nodes.Length == 0 && !slots.Contains(drc.Name);
            }

            Assert.True(owned || released,
                $"{context}: {drc.Name} is {drc.State}, nodes {nodes.Length}, slot added {slots.Contains(drc.Name)}, devices " +
                    $"{string.Join(",", nodes.Select(n => devices.Contains(n.Path)))}");
        }

        Assert.DoesNotContain(devices, d => tree.Find(d) is null);
        Assert.True(journal.ReadAll().Count == 0, $"{context}: the journal still holds {string.Join(" | ", journal.ReadAll())}");
    }
}
