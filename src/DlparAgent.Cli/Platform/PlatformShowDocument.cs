using DlparAgent.Cli.Output;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Cli.Platform;

/// <summary><c>dlpar platform show --json</c>: the emulated machine's profile, connectors, devices, queued events, faults and kernel.</summary>
internal sealed record PlatformShowDocument(string StateDirectory, ProfileDocument Profile, string? Negotiated, IReadOnlyList<DrcDocument> Drcs,
    IReadOnlyList<DeviceEntryDocument> Devices, IReadOnlyList<string> Events, IReadOnlyList<string> Faults, IReadOnlyList<string> Notifications,
    KernelSummaryDocument Kernel)
{
    public static PlatformShowDocument From(EmulatedPartition partition, string directory, string? negotiated)
    {
        ArgumentNullException.ThrowIfNull(partition);
        MachineState machine = partition.Platform.State;
        MachineProfile p = machine.Profile;
        EmulatedKernel kernel = partition.Kernel;
        return new PlatformShowDocument(
            directory,
            new ProfileDocument(p.Flavor == PlatformFlavor.Qemu ? "qemu" : "powervm", p.BootCpus, p.MaxCpus, p.Threads, p.Memory, p.MaxMemory,
                p.MemorySlots, p.Negotiation == NegotiationMode.Modern ? "modern" : "legacy", p.Strict),
            negotiated,
            [.. machine.ConnectorsInOrder.Select(d => new DrcDocument(JsonOutput.Hex32(d.Index), d.Name, d.Type, PlatformReport.StateName(d.State), d.DeviceId,
                d.UnplugRequested))],
            [.. machine.Devices.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => new DeviceEntryDocument(d.Id, d.Describe(),
                d.Origin.ToString().ToLowerInvariant()))],
            [.. machine.Events.Select(e => Convert.ToHexStringLower(e.Log))],
            [.. machine.Faults.Select(f => f.Describe())],
            [.. machine.Notifications],
            new KernelSummaryDocument(kernel.ReadDlparCapabilities() is { Present: true } dlpar ? dlpar.Content : null, kernel.HasCpuProbe(),
                kernel.ReadCpuThreads().Count(c => c.Online), kernel.ReadCpuThreads().Count, kernel.ReadMemoryBlocks().Count(b => b.Online),
                kernel.ReadMemoryBlockSize(), kernel.State.ErrorLog.Count));
    }
}

/// <summary>The machine's shape (the HMC profile).</summary>
internal sealed record ProfileDocument(string Flavor, int Cpus, int MaxCpus, int Smt, ulong Memory, ulong MaxMemory, int Slots, string Cas, bool Strict);

/// <summary>One connector as the platform holds it.</summary>
internal sealed record DrcDocument(string Index, string Name, string Type, string State, string? Device, bool UnplugRequested);

/// <summary>One device of the machine and where it came from.</summary>
internal sealed record DeviceEntryDocument(string Id, string Description, string Origin);

/// <summary>The emulated kernel in numbers.</summary>
internal sealed record KernelSummaryDocument(string? Dlpar, bool CpuProbe, int CpusOnline, int Cpus, int MemoryBlocksOnline, ulong MemoryBlockSize,
    int ErrorLogRecords);
