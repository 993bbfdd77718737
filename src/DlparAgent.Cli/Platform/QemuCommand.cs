using DlparAgent.Hosting;
using DlparAgent.Core.Failures;
using System.CommandLine;
using System.Globalization;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Qemu;

namespace DlparAgent.Cli.Platform;

/// <summary>
/// <c>dlpar platform qemu start|stop|status|plug|unplug</c>: a QEMU pseries machine as the firmware
/// of a state directory, driven from the hypervisor's side; <c>--platform qemu</c> then runs any
/// agent operation against it.
/// </summary>
internal static class QemuCommand
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan NegotiationTimeout = TimeSpan.FromSeconds(90);

    public static Command Create(CliContext context, GlobalOptions g) =>
        new("qemu", "Run QEMU's pseries machine (qemu-system-ppc64) as the partition's firmware")
        {
            Start(context, g),
            Stop(context, g),
            Status(context, g),
            Plug(context, g),
            Unplug(context, g),
        };

    private static Command Start(CliContext context, GlobalOptions g)
    {
        var cas = new Option<string>("--cas")
        {
            Description = "How the guest negotiates: modern (a CAS like current Linux: drconf memory v2, hotplug events), drmem-v1, no-hotplug-events, or " +
                "none (no CAS: TCG -S, starts in a fraction of a second)",
            DefaultValueFactory = _ => "modern",
        };
        cas.AcceptOnlyFromAmong("modern", "drmem-v1", "no-hotplug-events", "none");
        var cpus = new Option<int>("--cpus") { Description = "vCPUs at boot", DefaultValueFactory = _ => 1 };
        var maxCpus = new Option<int>("--max-cpus") { Description = "Possible vCPUs", DefaultValueFactory = _ => 8 };
        var smt = new Option<int>("--smt") { Description = "Threads per core", DefaultValueFactory = _ => 1 };
        var memory = new Option<string>("--memory") { Description = "Boot memory", DefaultValueFactory = _ => "2G" };
        var maxMemory = new Option<string>("--max-memory") { Description = "Maximum memory", DefaultValueFactory = _ => "8G" };
        var slots = new Option<int>("--slots") { Description = "DIMM slots", DefaultValueFactory = _ => 8 };
        var phbs = new Option<int>("--phbs") { Description = "PHBs at boot", DefaultValueFactory = _ => 1 };
        var bootNic = new Option<int[]>("--boot-nic") { Description = "Slot of PHB 0 given an e1000 at boot (repeatable; the real-Linux guest has slot 1)",
            AllowMultipleArgumentsPerToken = false };
        var kernelDlpar = new Option<string>("--kernel-dlpar") { Description = "What the guest kernel's /sys/kernel/dlpar " +
            "offers", DefaultValueFactory = _ => "memory,cpu,dt" };
        var force = new Option<bool>("--force") { Description = "Stop a machine already running for this state directory first" };
        var command = new Command("start", "Start QEMU for the state directory and boot the emulated guest kernel on its device tree")
        {
            cas, cpus, maxCpus, smt, memory, maxMemory, slots, phbs, bootNic, kernelDlpar, force,
        };
        command.SetAction(r =>
        {
            string stateDirectory = context.StateDirectory(r.GetValue(g.StateDir));
            string mode = r.GetValue(cas)!;
            KernelFeatures features = Parse(() => KernelFeatures.FromList(r.GetValue(kernelDlpar)!), "--kernel-dlpar");
            var options = new QemuMachineOptions
            {
                BootCpus = r.GetValue(cpus),
                MaxCpus = r.GetValue(maxCpus),
                Threads = r.GetValue(smt),
                Memory = ArgumentParsing.Size(r.GetValue(memory)!, "--memory"),
                MaxMemory = ArgumentParsing.Size(r.GetValue(maxMemory)!, "--max-memory"),
                MemorySlots = r.GetValue(slots),
                BootPhbs = r.GetValue(phbs),
                BootNicSlots = r.GetValue(bootNic) ?? [],
                CasClient = mode == "none" ? null : CasClientImage.Path(drmemV2: mode != "drmem-v1", hotplugEvents: mode != "no-hotplug-events",
                    environment: context.Environment),
            };
            Parse(() => { options.Validate(); return 0; }, "machine");

            using MachineStore store = MachineStore.Open(QemuBackend.DirectoryOf(stateDirectory), LockTimeout);
            if (QemuMachine.DetachedPid(store.Directory) is { } running)
            {
                if (!r.GetValue(force))
                {
                    throw new CliException(FailureCategory.Refused, $"QEMU already runs for {stateDirectory} (pid {running}); stop it first, or use --force");
                }

                StopRunning(store);
            }

            int pid = QemuMachine.StartDetached(options with { ConsoleLog = Path.Combine(store.Directory, "console.log") }, store.Directory,
                context.Environment);
            try
            {
                using QemuMachine machine = QemuMachine.Attach(store.Directory);
                if (options.CasClient is not null)
                {
                    CasClientImage.WaitNegotiated(machine, NegotiationTimeout);

                    // Paused, the spinning client costs no host core; RTAS and QMP work as under -S.
                    machine.Management.Pause();
                }

                FlattenedDeviceTree tree = FdtReader.Read(machine.Management.DumpDeviceTree());
                store.WriteSideFile(QemuBackend.KernelFile, KernelStateCodec.Encode(EmulatedKernel.Boot(tree, features)));
                File.Delete(Path.Combine(store.Directory, "journal"));
                Report(context, r, g, machine.Version, pid, mode, stateDirectory);
            }
            catch
            {
                StopRunning(store);
                throw;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Stop(CliContext context, GlobalOptions g)
    {
        var command = new Command("stop", "Stop the state directory's QEMU machine");
        command.SetAction(r =>
        {
            string stateDirectory = context.StateDirectory(r.GetValue(g.StateDir));
            using MachineStore store = MachineStore.Open(QemuBackend.DirectoryOf(stateDirectory), LockTimeout);
            bool wasRunning = QemuMachine.StopDetached(store.Directory);
            store.DeleteSideFile(QemuBackend.KernelFile);
            if (r.GetValue(g.Json))
            {
                JsonOutput.Write(context.Out, new QemuStopDocument(wasRunning), JsonOutput.Documents.QemuStopDocument);
            }
            else
            {
                context.Out.WriteLine(wasRunning ? $"QEMU stopped for {stateDirectory}" : $"no QEMU machine was running for {stateDirectory}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(CliContext context, GlobalOptions g)
    {
        var command = new Command("status", "Show the state directory's QEMU machine: version, pid, run state, negotiated option vector 5, DIMMs");
        command.SetAction(r =>
        {
            using QemuBackend session = QemuBackend.Open(context.StateDirectory(r.GetValue(g.StateDir)));
            QemuMachine machine = session.Machine;
            string runState = machine.Management.RunState();
            FlattenedDeviceTree tree = FdtReader.Read(machine.Management.DumpDeviceTree());
            Core.DeviceTree.DtProperty? vectorProperty = tree.Root.Find("/chosen")?.GetProperty("ibm,architecture-vec-5");
            string vector = vectorProperty is null ? string.Empty : Convert.ToHexString(vectorProperty.Value).ToLowerInvariant();
            IReadOnlyList<string> dimms = machine.Management.MemoryDevices();
            int? pid = QemuMachine.DetachedPid(QemuBackend.DirectoryOf(context.StateDirectory(r.GetValue(g.StateDir))));
            if (r.GetValue(g.Json))
            {
                JsonOutput.Write(context.Out, new QemuStatusDocument(machine.Version, runState, vector, dimms) { Pid = pid },
                    JsonOutput.Documents.QemuStatusDocument);
            }
            else
            {
                context.Out.WriteLine($"QEMU {machine.Version}, pid {pid?.ToString(CultureInfo.InvariantCulture) ?? "?"}, {runState}");
                context.Out.WriteLine($"ibm,architecture-vec-5: {(vector.Length == 0 ? "(none)" : vector)}{(vector == "0000" ? " (no CAS)" : string.Empty)}");
                context.Out.WriteLine($"DIMMs: {(dimms.Count == 0 ? "none" : string.Join(' ', dimms))}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Plug(CliContext context, GlobalOptions g)
    {
        Option<string?> Id() => new("--id") { Description = "Device id (default: dimm1, core2, pci3, phb1, …)" };

        var size = new Option<string>("--size") { Description = "DIMM size, a multiple of 256M", Required = true };
        var node = new Option<int>("--node") { Description = "NUMA node" };
        var memoryId = Id();
        var memory = new Command("memory", "A DIMM (a RAM backend and a pc-dimm)") { size, node, memoryId };
        memory.SetAction(r => Manage(context, r, g, m => m.AddMemory(ArgumentParsing.Size(r.GetValue(size)!, "--size"), r.GetValue(node),
            r.GetValue(memoryId))));

        var coreId = new Option<int>("--core-id") { Description = "QEMU core-id (the vCPU id of the core's first thread)", Required = true };
        var cpuId = Id();
        var cpu = new Command("cpu", "A CPU core") { coreId, cpuId };
        cpu.SetAction(r => Manage(context, r, g, m => m.AddCpuCore(r.GetValue(coreId), r.GetValue(cpuId))));

        var index = new Option<int>("--index") { Description = "PHB index, 1..30", Required = true };
        var phbId = Id();
        var phb = new Command("phb", "A PCI host bridge") { index, phbId };
        phb.SetAction(r => Manage(context, r, g, m => m.AddPhb(r.GetValue(index), r.GetValue(phbId))));

        var onPhb = new Option<int>("--phb") { Description = "PHB index (0 is pci.0)" };
        var slot = new Option<int>("--slot") { Description = "Slot on the PHB's root bus, 0..31", Required = true };
        var function = new Option<int>("--function") { Description = "Function, 0..7" };
        var multifunction = new Option<bool>("--multifunction") { Description = "Function 0 of a multifunction device" };
        var model = new Option<string>("--model") { Description = "QEMU device model", DefaultValueFactory = _ => "e1000" };
        var pciId = Id();
        var pci = new Command("pci",
            "A PCI function (romfile= is passed empty: Debian's ipxe ROMs are only recommended)") { onPhb, slot, function, multifunction, model, pciId };
        pci.SetAction(r => Manage(context, r, g, m => m.AddPci(r.GetValue(onPhb), r.GetValue(slot), r.GetValue(function), r.GetValue(model)!,
            r.GetValue(pciId), r.GetValue(multifunction))));

        return new Command("plug", "Hot-add a device over QMP (QEMU queues the hotplug event)") { memory, cpu, phb, pci };
    }

    private static Command Unplug(CliContext context, GlobalOptions g)
    {
        var id = new Argument<string>("ID") { Description = "Device id, as plug printed it (a boot core: its QOM path)" };
        var command = new Command("unplug", "Request removal over QMP (device_del); the device goes when the partition releases it") { id };
        command.SetAction(r => Manage(context, r, g, m =>
        {
            m.Remove(r.GetValue(id)!);
            return null;
        }));
        return command;
    }

    /// <summary>One management operation under the state directory's lock; a device id returned is printed.</summary>
    private static int Manage(CliContext context, ParseResult r, GlobalOptions g, Func<QemuManagement, string?> operation)
    {
        using QemuBackend session = QemuBackend.Open(context.StateDirectory(r.GetValue(g.StateDir)));
        string? id = operation(session.Machine.Management);
        if (r.GetValue(g.Json))
        {
            JsonOutput.Write(context.Out, new DeviceDocument(id), JsonOutput.Documents.DeviceDocument);
        }
        else if (id is not null)
        {
            context.Out.WriteLine(id);
        }

        return ExitCodes.Success;
    }

    private static void Report(CliContext context, ParseResult r, GlobalOptions g, string version, int pid, string mode, string stateDirectory)
    {
        if (r.GetValue(g.Json))
        {
            JsonOutput.Write(context.Out, new QemuStartDocument(version, pid, mode, stateDirectory), JsonOutput.Documents.QemuStartDocument);
            return;
        }

        string negotiation = mode switch
        {
            "none" => "no CAS (TCG -S)",
            "modern" => "negotiated at CAS: drconf memory v2, hotplug events",
            "drmem-v1" => "negotiated at CAS: drconf memory v1, hotplug events",
            _ => "negotiated at CAS: drconf memory v2, no hotplug events",
        };
        context.Out.WriteLine($"QEMU {version} pseries running as pid {pid} for {stateDirectory}, {negotiation}");
        context.Out.WriteLine($"the agent drives it with --platform qemu, e.g.: dlpar --state-dir {stateDirectory} --platform qemu list memory");
    }

    /// <summary>Quits the directory's QEMU if it runs and forgets the guest that ran on it.</summary>
    private static void StopRunning(MachineStore store)
    {
        QemuMachine.StopDetached(store.Directory);
        store.DeleteSideFile(QemuBackend.KernelFile);
    }

    private static T Parse<T>(Func<T> parse, string what)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException error)
        {
            throw new CliException(FailureCategory.Usage, $"{what}: {error.Message}");
        }
    }
}
