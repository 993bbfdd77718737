using System.Globalization;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Cli.Platform;

/// <summary><c>dlpar platform show</c>: connectors, devices, queued events, faults, recent notifications.</summary>
internal static class PlatformReport
{
    public static string StateName(DrcState state) => state switch
    {
        DrcState.LogicalUnusable => "logical-unusable",
        DrcState.LogicalAvailable => "logical-available",
        DrcState.LogicalUnisolate => "logical-unisolate",
        DrcState.LogicalConfigured => "logical-configured",
        DrcState.PhysicalAvailable => "physical-available",
        DrcState.PhysicalPowerOn => "physical-poweron",
        DrcState.PhysicalUnisolate => "physical-unisolate",
        _ => "physical-configured",
    };

    public static void WriteText(TextWriter output, EmulatedPartition partition, string directory, bool all)
    {
        MachineState machine = partition.Platform.State;
        MachineProfile p = machine.Profile;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Emulated {(p.Flavor == PlatformFlavor.Qemu ? "QEMU pseries" : "PowerVM")} partition in {directory}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {p.BootCores} of {p.MaxCores} cores at boot (SMT{p.Threads}), memory {MachineProfile.Size(p.Memory)} of {MachineProfile.Size(p.MaxMemory)}, " +
                $"{p.MemorySlots} slots{(p.Strict ? ", strict LoPAR rules" : string.Empty)}"));
        output.WriteLine($"  negotiated: {(machine.CasPerformed ? Negotiated(machine.Negotiated) : "nothing (no CAS)")}");
        output.WriteLine();
        output.WriteLine("Devices:");
        foreach (EmulatedDevice device in machine.Devices.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            output.WriteLine($"  {device.Id,-10} {device.Describe()} [{device.Origin.ToString().ToLowerInvariant()}]");
        }

        output.WriteLine();
        EmulatedDrc[] shown = [.. machine.ConnectorsInOrder.Where(d => all || d.HasDevice || d.UnplugRequested || d.State != d.EmptyState)];
        output.WriteLine(all
            ? string.Create(CultureInfo.InvariantCulture, $"Connectors ({shown.Length}):")
            : string.Create(CultureInfo.InvariantCulture, $"Connectors in use ({shown.Length} of {machine.Connectors.Count}; --all lists every one):"));
        int nameWidth = shown.Select(d => d.Name.Length).DefaultIfEmpty(4).Max();
        foreach (EmulatedDrc drc in shown)
        {
            string line = string.Create(CultureInfo.InvariantCulture,
                $"  0x{drc.Index:x8}  {drc.Name.PadRight(nameWidth)}  {StateName(drc.State),-19}  " +
                    $"{drc.DeviceId ?? "-"}{(drc.UnplugRequested ? "  unplug requested" : string.Empty)}");
            output.WriteLine(line.TrimEnd());
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Queued events ({machine.Events.Count}):"));
        for (int i = 0; i < machine.Events.Count; i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i}: {DescribeEvent(machine.Events[i])}"));
        }

        if (machine.Faults.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Fault rules:");
            for (int i = 0; i < machine.Faults.Count; i++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i}: {machine.Faults[i].Describe()}"));
            }
        }

        EmulatedKernel kernel = partition.Kernel;
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Guest kernel: /sys/kernel/dlpar " +
                $"{(kernel.ReadDlparCapabilities().Present ? $"offers {kernel.ReadDlparCapabilities().Content}" : "absent")}" +
                $"{(kernel.HasCpuProbe() ? ", cpu probe/release files" : string.Empty)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPUs online {kernel.ReadCpuThreads().Count(c => c.Online)} of {kernel.ReadCpuThreads().Count}, memory blocks online " +
                $"{kernel.ReadMemoryBlocks().Count(b => b.Online)} of {kernel.ReadMemoryBlocks().Count} " +
                    $"({MachineProfile.Size(kernel.ReadMemoryBlockSize())} each), error log records {kernel.State.ErrorLog.Count}"));

        if (machine.Notifications.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Recent notifications:");
            foreach (string notification in machine.Notifications.TakeLast(10))
            {
                output.WriteLine($"  {notification}");
            }
        }
    }

    public static void WriteJson(TextWriter output, EmulatedPartition partition, string directory) =>
        JsonOutput.Write(output, PlatformShowDocument.From(partition, directory,
            partition.Platform.State.CasPerformed ? Negotiated(partition.Platform.State.Negotiated) : null), JsonOutput.Documents.PlatformShowDocument);

    private static string Negotiated(Ov5 ov5) => ov5 == Ov5.None ? "none" : EnumWords.Flags(ov5);

    private static string DescribeEvent(QueuedEvent queued)
    {
        try
        {
            RtasEventLog log = RtasEventLog.Read(queued.Log);
            return log.FindSection<HotplugSection>() is { } hp
                ? $"hotplug {EnumWords.Word(hp.Resource)} {EnumWords.Word(hp.Action)} {hp.Identifier}"
                : log.FindSection<EpowSection>() is { } epow ? $"EPOW " +
                    $"{EpowSection.DescribeAction(epow.ActionCode)}" : RtasEventTypes.Describe(log.Summary.Type);
        }
        catch (DlparFormatException error)
        {
            return $"unreadable: {error.Message}";
        }
    }
}
