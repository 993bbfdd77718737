using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Emulation.Kernel;

/// <summary>
/// The emulated Linux guest: it owns the partition's device tree, CPUs and memory blocks, accepts
/// ofdt commands, implements <c>/sys/kernel/dlpar</c> with the kernel's semantics and errnos over
/// the platform's RTAS, and, like Linux, consumes memory and CPU hotplug events itself while logging
/// the others for the event service.
/// </summary>
public sealed class EmulatedKernel : IGuestKernel
{
    private readonly KernelRtas _rtas;
    private readonly KernelCpuDlpar _cpus;
    private readonly KernelMemoryDlpar _memory;
    private readonly IRtas _firmware;
    private readonly KernelPci _pci;

    public EmulatedKernel(KernelState state, IRtas firmware)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(firmware);
        State = state;
        _firmware = firmware;
        _rtas = new KernelRtas(firmware);
        _cpus = new KernelCpuDlpar(state, _rtas);
        _memory = new KernelMemoryDlpar(state, _rtas);
        _pci = new KernelPci(state);
    }

    public KernelState State { get; }

    /// <summary>
    /// Fault injection for tests: called with the interface and its argument before every write
    /// (<c>dlpar</c>, <c>ofdt</c>, <c>cpu-online</c>, <c>memory-probe</c>, <c>memory-state</c>, <c>cpu-probe</c>, <c>cpu-release</c>);
    /// an errno returned fails the write.
    /// </summary>
    public Func<string, string, Errno?>? WriteFault { get; set; }

    public KernelDlparCapabilities ReadDlparCapabilities() => State.Features.Dlpar;

    public IReadOnlyList<CpuThread> ReadCpuThreads() => [.. State.Cpus.Values];

    public bool HasCpuProbe() => State.Features.CpuProbe;

    /// <summary>The emulated kernel has no hibernation file: the emulated platform cannot suspend a partition (yet).</summary>
    /// <summary>Linux 6.1 on pseries has <c>/sys/devices/system/power/hibernate</c> (drmgr -C's phib=yes).</summary>
    public bool HasHibernation() => true;

    /// <summary>
    /// The partition's lparcfg and the hypervisor behind it, when it has one. A machine the CLI loads
    /// has none, as Debian's kernel (no <c>CONFIG_LPARCFG</c>): the model is not yet part of the saved state.
    /// </summary>
    public EmulatedLparcfg? Lparcfg { get; set; }

    /// <summary>Live Partition Mobility: the kernel's migration interface and the hypervisor behind it, or null (QEMU).</summary>
    public EmulatedMigration? Migration { get; set; }

    public int? ReadMigrationApiVersion() => Migration is null ? null : 1;

    public void WriteMigration(ulong streamId)
    {
        Fault("migration", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0x{streamId:x}"));
        (Migration ?? throw new KernelException(Errno.ENOENT, KernelWrites.Migration)).Suspend(streamId);
    }

    /// <summary>Suspends on the HMC's stream as a migration does; without the hypervisor's streams (QEMU) Linux 6.1 answers ENOENT.</summary>
    public void WriteHibernation(ulong streamId)
    {
        Fault("hibernation", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0x{streamId:x}"));
        (Migration ?? throw new KernelException(Errno.ENOENT, KernelWrites.Hibernation)).Suspend(streamId);
    }

    /// <summary>The partition's NX accelerator, or null when it has none (QEMU).</summary>
    public EmulatedVas? Vas { get; set; }

    public AcceleratorCredits? ReadAcceleratorCredits(string type) => type == EmulatedVas.Gzip ? Vas?.ReadQos() : null;

    public void WriteAcceleratorCredits(string type, int credits)
    {
        Fault("accelerator-credits", $"{type} {credits}");
        EmulatedVas vas = (type == EmulatedVas.Gzip ? Vas : null)
            ?? throw new KernelException(Errno.ENOENT, KernelWrites.AcceleratorFile(type, "update_total_credits"));
        vas.WriteQos(credits);
    }

    public IReadOnlyDictionary<string, string>? ReadLparcfg() => Lparcfg is { } file ? Core.Kernel.Lparcfg.Parse(file.Render()) : null;

    public void WriteLparcfg(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Fault("lparcfg", line.TrimEnd('\n'));
        (Lparcfg ?? throw new KernelException(Errno.ENOENT, "/proc/powerpc/lparcfg")).Write(System.Text.Encoding.Latin1.GetBytes(line));
    }

    public ulong ReadMemoryBlockSize() => _memory.BlockSize;

    public IReadOnlyList<MemoryBlock> ReadMemoryBlocks() => [.. State.MemoryBlocks.Values.OrderBy(b => b.Number)];

    public bool HasMemoryProbe() => State.Features.MemoryProbe;

    /// <summary>Boots a guest on a platform's device tree: every node gets a phandle, present CPUs and memory come online.</summary>
    public static KernelState Boot(FlattenedDeviceTree bootTree, KernelFeatures features)
    {
        ArgumentNullException.ThrowIfNull(bootTree);
        var state = new KernelState(bootTree.Root.Clone(), features);
        KernelTree.AssignPhandles(state, state.Tree);
        foreach (DtNode cpu in state.Tree.Find("/cpus")?.Children ?? [])
        {
            if (cpu.GetString("device_type") == "cpu")
            {
                KernelCpuDlpar.AddThreads(state, cpu);
            }
        }

        foreach (int number in state.Cpus.Keys.ToList())
        {
            state.Cpus[number] = state.Cpus[number] with { Online = true };
        }

        ulong blockSize = KernelMemoryDlpar.BlockSizeOf(state);
        foreach (DtNode memory in state.Tree.Children.Where(n => n.BaseName == "memory" && n.GetString("device_type") == "memory"))
        {
            if (memory.GetProperty("reg") is { Length: 16 } reg)
            {
                uint[] cells = reg.AsCells();
                ulong start = ((ulong)cells[0] << 32) | cells[1];
                ulong size = ((ulong)cells[2] << 32) | cells[3];
                for (ulong address = start; address < start + size; address += blockSize)
                {
                    // Boot memory holds the kernel: the first block is never removable.
                    int block = (int)(address / blockSize);
                    state.MemoryBlocks[block] = new MemoryBlock(block, Online: true, Removable: address != 0 && memory.HasProperty("ibm,my-drc-index"));
                }
            }
        }

        KernelPci.Boot(state);
        if (state.Tree.Find("/ibm,dynamic-reconfiguration-memory") is { } drconf)
        {
            Core.Memory.DynamicReconfigurationMemory table = Core.Memory.DynamicReconfigurationMemory.FromNode(drconf);
            foreach (DynamicMemoryLmb lmb in table.Lmbs.Where(l => l.IsAssigned))
            {
                for (ulong offset = 0; offset < table.LmbSize; offset += blockSize)
                {
                    int block = (int)((lmb.BaseAddress + offset) / blockSize);
                    state.MemoryBlocks[block] = new MemoryBlock(block, Online: true, Removable: block != 0);
                }
            }
        }

        return state;
    }

    public DtNode ReadDeviceTree() => State.Tree.Clone();

    /// <summary>A refused request tells the writer only its errno, as Linux's write() does (the reason goes to the kernel's log).</summary>
    public void WriteDlpar(string request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            HandleDlpar(request);
        }
        catch (KernelException refused)
        {
            throw new KernelException(refused.Errno, $"{KernelWrites.Dlpar} <- \"{KernelWrites.DlparRequest(request).Printable()}\"");
        }
    }

    private void HandleDlpar(string request)
    {
        Fault("dlpar", request);
        if (!ReadDlparCapabilities().Present)
        {
            throw new KernelException(Errno.ENOENT, "/sys/kernel/dlpar does not exist");
        }

        KernelRequestCheck check = KernelDlparGrammar.Check(request);
        DlparRequest parsed = check.Request ?? throw new KernelException(Errno.EINVAL, $"Could not handle DLPAR request \"{request}\" ({check.Reason})");
        bool offered = parsed.Resource switch
        {
            DlparResource.Memory => ReadDlparCapabilities().Memory,
            DlparResource.Cpu => ReadDlparCapabilities().Cpu,
            _ => ReadDlparCapabilities().DeviceTree,
        };
        if (!offered)
        {
            throw new KernelException(Errno.EINVAL,
                $"Could not handle DLPAR request \"{request}\" (this kernel has no {RequestGrammar.ResourceWord(parsed.Resource)} DLPAR)");
        }

        Handle(parsed);
    }

    public void WriteOfdt(OfdtCommand command)
    {
        Fault("ofdt", command.GetType().Name);
        ArgumentNullException.ThrowIfNull(command);

        // The bytes go through the kernel's own parser, as a real write would.
        OfdtCommand parsed;
        try
        {
            parsed = OfdtCodec.Decode(OfdtCodec.Encode(command));
        }
        catch (Exception error) when (error is DlparFormatException or ArgumentException)
        {
            throw new KernelException(Errno.EINVAL, $"ofdt: {error.Message}");
        }

        new OfdtApplier(State, _cpus).Apply(parsed);
        _pci.Prune();
    }

    public void SetCpuOnline(int number, bool online)
    {
        Fault("cpu-online", $"{number} {online}");
        if (!State.Cpus.TryGetValue(number, out CpuThread thread))
        {
            // Linux has a sysfs cpu device for every possible CPU: an absent one is already offline and cannot come online.
            if (number >= 0 && number < PossibleCpus())
            {
                if (online)
                {
                    throw new KernelException(Errno.EINVAL, $"cpu{number} is not present");
                }

                return;
            }

            throw new KernelException(Errno.ENOENT, $"no cpu{number}");
        }

        if (!online && thread.Online && State.Cpus.Values.Count(c => c.Online) == 1)
        {
            throw new KernelException(Errno.EBUSY, $"cpu{number} is the last online CPU");
        }

        State.Cpus[number] = thread with { Online = online };
    }

    /// <summary>
    /// Linux's possible CPUs on pseries (smp_setup_cpu_maps): the core count in <c>/rtas</c>'s
    /// <c>ibm,lrdr-capacity</c> after the root's address and size cells, times the boot CPU's threads.
    /// </summary>
    private int PossibleCpus()
    {
        DtNode root = State.Tree;
        int skip = (int)(root.GetUInt32("#address-cells") ?? 2) + (int)(root.GetUInt32("#size-cells") ?? 1);
        uint[]? capacity = root.Find("/rtas")?.GetProperty("ibm,lrdr-capacity")?.AsCells();
        int threads = root.Find("/cpus")?.Children.FirstOrDefault(c => c.GetString("device_type") == "cpu")
            ?.GetProperty("ibm,ppc-interrupt-server#s")?.AsCells().Length ?? 1;
        return capacity is not null && capacity.Length > skip ? (int)Math.Min(capacity[skip] * (long)Math.Max(threads, 1), int.MaxValue)
            : State.Cpus.Count;
    }

    public void ProbeCpu(uint drcIndex)
    {
        Fault("cpu-probe", $"0x{drcIndex:x}");
        RequireCpuProbe();
        _cpus.Probe(drcIndex);
    }

    public void ReleaseCpu(string path)
    {
        Fault("cpu-release", path);
        RequireCpuProbe();
        _cpus.Release(path);
    }

    public void ProbeMemory(ulong address)
    {
        Fault("memory-probe", $"0x{address:x}");
        if (!HasMemoryProbe())
        {
            throw new KernelException(Errno.ENOENT, "/sys/devices/system/memory/probe does not exist");
        }

        ulong blockSize = ReadMemoryBlockSize();
        if (address % blockSize != 0)
        {
            throw new KernelException(Errno.EINVAL, $"0x{address:x} is not aligned to the {blockSize}-byte memory block");
        }

        int block = (int)(address / blockSize);
        if (State.MemoryBlocks.ContainsKey(block))
        {
            throw new KernelException(Errno.EEXIST, $"memory{block} exists");
        }

        State.MemoryBlocks[block] = new MemoryBlock(block, Online: false, Removable: true);
    }

    public void SetMemoryBlockOnline(int number, bool online)
    {
        Fault("memory-state", $"{number} {online}");
        if (!State.MemoryBlocks.TryGetValue(number, out MemoryBlock block))
        {
            throw new KernelException(Errno.ENOENT, $"no memory{number}");
        }

        // Linux's state_store: a block already in the state asked for is EINVAL (a CPU's online file accepts it).
        if (block.Online == online)
        {
            throw new KernelException(Errno.EINVAL, $"memory{number} is already {(online ? "online" : "offline")}");
        }

        if (!online && !block.Removable)
        {
            throw new KernelException(Errno.EBUSY, $"memory{number} cannot be offlined");
        }

        State.MemoryBlocks[number] = block with { Online = online };
    }

    public IReadOnlyCollection<string> ReadDlparSlots() => [.. State.DlparSlots];

    public IReadOnlyList<HotplugSlot> ReadHotplugSlots() => _pci.Slots();

    public HotplugSlot? ReadHotplugSlot(string name) => _pci.Slots().Where(s => s.Name == name).Select(s => (HotplugSlot?)s).FirstOrDefault();

    public IReadOnlyDictionary<string, string> ReadPciDevices() => _pci.Addresses();

    public void AddSlot(string drcName)
    {
        Fault("add_slot", drcName);
        _pci.AddSlot(drcName);
    }

    public void RemoveSlot(string drcName)
    {
        Fault("remove_slot", drcName);
        _pci.RemoveSlot(drcName);
    }

    public void SetSlotPower(string name, bool powered)
    {
        Fault("slot-power", $"{name} {powered}");
        _pci.SetPower(name, powered);
    }

    public void RescanPci()
    {
        Fault("pci-rescan", string.Empty);
        _pci.Rescan();
    }

    public void RemovePciDevice(string devspec)
    {
        Fault("pci-remove", devspec);
        _pci.RemoveDevice(devspec);
    }

    /// <summary>
    /// Takes the platform's interrupts as Linux's <c>ras.c</c> does: hotplug events for memory, CPU
    /// and PMEM are handled in the kernel (when it offers that DLPAR), the rest go to the error log;
    /// every EPOW-class event is logged, and shutdown requests are noted.
    /// </summary>
    public void TakeInterrupts() => TakeInterrupts(int.MaxValue);

    /// <summary>
    /// Takes at most <paramref name="limit"/> pending interrupts (one event each) and says how many
    /// it took; the event service takes them one at a time so that a burst never overruns the
    /// 64-record error log before it is read.
    /// </summary>
    public int TakeInterrupts(int limit)
    {
        byte[] buffer = new byte[RtasdRecordCodec.MaxErrorLogSize];
        int taken = 0;
        if (State.Tree.Find("/event-sources/hot-plug-events") is not null)
        {
            while (taken < limit && _firmware.CheckException(0x500, 0, DrIndicators.HotplugClassMask, buffer).IsSuccess)
            {
                taken++;
                HandleHotplugEvent(buffer);
            }
        }

        while (taken < limit && _firmware.CheckException(0x500, 0, DrIndicators.EpowClassMask, buffer).IsSuccess)
        {
            taken++;
            if (TryRead(buffer) is not { } log)
            {
                continue;
            }

            State.LogError(log.ToArray());
            if (log.FindSection<EpowSection>() is { ActionCode: >= 3 } epow)
            {
                State.PowerRequests.Add($"poweroff ({EpowSection.DescribeAction(epow.ActionCode)})");
            }
        }

        return taken;
    }

    /// <summary>
    /// One read of <c>/proc/powerpc/rtas/error_log</c>: the oldest record, consumed, as rtasd hands
    /// it out (a host-endian sequence number, the log, the rest of the slot); null when empty.
    /// </summary>
    public byte[]? ReadErrorLog()
    {
        if (State.ErrorLog.Count == 0)
        {
            return null;
        }

        (int sequence, byte[] log) = State.ErrorLog[0];
        State.ErrorLog.RemoveAt(0);
        byte[] slot = new byte[RtasdRecordCodec.DefaultSlotSize];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(slot, sequence);
        log.AsSpan(0, Math.Min(log.Length, slot.Length - 4)).CopyTo(slot.AsSpan(4));
        return slot;
    }

    private void HandleHotplugEvent(byte[] buffer)
    {
        if (TryRead(buffer) is not { } log)
        {
            return;
        }

        HotplugSection? hp = log.FindSection<HotplugSection>();
        bool inKernel = hp is not null && hp.Resource switch
        {
            HotplugResource.Memory => ReadDlparCapabilities().Memory,
            HotplugResource.Cpu => ReadDlparCapabilities().Cpu,
            _ => false,
        };
        if (!inKernel)
        {
            State.LogError(log.ToArray());
            return;
        }

        DlparTarget? target = hp!.Identifier.Type switch
        {
            HotplugIdentifierType.Index => new DlparTarget.ByIndex(hp.Identifier.Index),
            HotplugIdentifierType.Count => new DlparTarget.ByCount(hp.Identifier.Count),
            HotplugIdentifierType.CountIndexed => new DlparTarget.ByIndexedCount(hp.Identifier.Count, hp.Identifier.Index),
            _ => null,
        };
        if (target is null)
        {
            return;
        }

        try
        {
            Handle(new DlparRequest(hp.Resource == HotplugResource.Cpu ? DlparResource.Cpu : DlparResource.Memory,
                hp.Action == HotplugAction.Add ? DlparAction.Add : DlparAction.Remove, target));
        }
        catch (KernelException)
        {
            // The kernel only logs a failed hotplug request; the platform sees the refusal through RTAS.
        }
    }

    private void Handle(DlparRequest request)
    {
        switch (request.Resource, request.Target)
        {
            case (DlparResource.Cpu, DlparTarget.ByIndex index):
                if (request.Action == DlparAction.Add)
                {
                    _cpus.Add(index.Index);
                }
                else
                {
                    _cpus.Remove(index.Index);
                }

                break;
            case (DlparResource.Memory, _):
                _memory.Execute(request.Action, request.Target);
                break;
            case (DlparResource.DeviceTree, DlparTarget.ByIndex index):
                if (request.Action == DlparAction.Add)
                {
                    AddDeviceTree(index.Index);
                }
                else
                {
                    RemoveDeviceTree(index.Index);
                }

                break;
            default:
                throw new KernelException(Errno.EINVAL, $"Could not handle DLPAR request \"{request}\"");
        }
    }

    /// <summary><c>dt add index X</c>: configure-connector under the node that describes X; no power, isolation or allocation changes.</summary>
    private void AddDeviceTree(uint index)
    {
        if (KernelTree.WithDrcIndex(State.Tree, index).Any())
        {
            throw new KernelException(Errno.EINVAL, $"a node for drc index {index:x} exists");
        }

        DtNode parent = State.Tree.DescendantsAndSelf().FirstOrDefault(n => KernelTree.Describes(n, index))
            ?? throw new KernelException(Errno.EIO, $"no node describes drc index {index:x}");
        DtNode fragment;
        try
        {
            fragment = _rtas.ConfigureConnector(index);
        }
        catch (KernelException error)
        {
            throw new KernelException(Errno.EIO, error.Message);
        }

        KernelTree.Attach(State, parent, fragment);
    }

    /// <summary><c>dt remove index X</c>: detaches every node whose <c>ibm,my-drc-index</c> is X.</summary>
    private void RemoveDeviceTree(uint index)
    {
        DtNode[] nodes = [.. KernelTree.WithDrcIndex(State.Tree, index)];
        if (nodes.Length == 0)
        {
            throw new KernelException(Errno.ENODEV, $"no node for drc index {index:x}");
        }

        foreach (DtNode node in nodes.Where(n => n.Parent is not null))
        {
            node.Parent!.RemoveChild(node);
        }

        _pci.Prune();
    }

    private void Fault(string write, string argument)
    {
        if (WriteFault?.Invoke(write, argument) is { } errno)
        {
            throw new KernelException(errno, $"injected failure of {write} {argument}");
        }
    }

    private void RequireCpuProbe()
    {
        if (!HasCpuProbe())
        {
            throw new KernelException(Errno.ENOENT, "/sys/devices/system/cpu/probe does not exist");
        }
    }

    private static RtasEventLog? TryRead(byte[] buffer)
    {
        try
        {
            return RtasEventLog.Read(buffer);
        }
        catch (DlparFormatException)
        {
            return null;
        }
    }
}
