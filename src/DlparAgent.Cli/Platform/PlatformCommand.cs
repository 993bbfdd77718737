using DlparAgent.Hosting;
using DlparAgent.Core.Failures;
using System.CommandLine;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Management;

namespace DlparAgent.Cli.Platform;

/// <summary><c>dlpar platform …</c>: create, inspect and drive the emulated partition from the hypervisor's side.</summary>
internal static class PlatformCommand
{
    public static Command Create(CliContext context, GlobalOptions g)
    {
        var platform = new Command("platform", "Create and drive the emulated PAPR platform (the hypervisor/HMC side)")
        {
            Init(context, g),
            Show(context, g),
            Devices(context, g, "plug", "Plug a device KVM-style (queues a hotplug event)", DeviceOrigin.Hotplug),
            Devices(context, g, "assign", "Make a device available PowerVM-style (no event; the HMC then runs drmgr)", DeviceOrigin.Assigned),
            ById(context, g, "unplug", "Request removal of a device; it goes when the partition releases it", (m, id) => m.Unplug(id)),
            ById(context, g, "reclaim", "Take back an assigned device the partition is not using", (m, id) => m.Reclaim(id)),
            Partitionwide(context, g, "reset", "Machine reset: pending unplugs complete, events are dropped, the guest reboots and negotiates again",
                p => p.Reset()),
            Interrupt(context, g),
            Simple(context, g, "powerdown", "Queue an EPOW shutdown request", m => m.Powerdown()),
            Faults(context, g),
            Rtas(context, g),
            KernelConsoleCommand(context, g),
            Migrate(context, g),
            QemuCommand.Create(context, g),
            GuestCommand.Create(context, g),
        };
        return platform;
    }

    private static Command Init(CliContext context, GlobalOptions g)
    {
        var cpus = new Option<int>("--cpus") { Description = "vCPUs (threads) at boot", DefaultValueFactory = _ => 1 };
        var maxCpus = new Option<int>("--max-cpus") { Description = "Possible vCPUs: one CPU connector per possible core", DefaultValueFactory = _ => 8 };
        var smt = new Option<int>("--smt") { Description = "Threads per core", DefaultValueFactory = _ => 1 };
        var memory = new Option<string>("--memory") { Description = "Boot memory, e.g. 2G", DefaultValueFactory = _ => "2G" };
        var maxMemory = new Option<string?>("--max-memory") { Description = "Maximum memory (default 8G, 64G for powervm); QEMU's LMB connectors cover what " +
            "lies above boot memory, PowerVM's all of it" };
        var slots = new Option<int>("--slots") { Description = "Memory slots (DIMMs, and PMEM connectors)", DefaultValueFactory = _ => 8 };
        var phbs = new Option<int>("--phbs") { Description = "PHBs present at boot", DefaultValueFactory = _ => 1 };
        var profile = new Option<string>("--profile") { Description = "Firmware to behave like", DefaultValueFactory = _ => "qemu" };
        profile.AcceptOnlyFromAmong("qemu", "powervm");
        var cas = new Option<string>("--cas") { Description = "modern: negotiated like current Linux; legacy: no CAS (EPOW-class events, count-only memory " +
            "adds)", DefaultValueFactory = _ => "modern" };
        cas.AcceptOnlyFromAmong("modern", "legacy");
        var drmem = new Option<string>("--drmem") { Description = "Dynamic memory property the guest asks for", DefaultValueFactory = _ => "v2" };
        drmem.AcceptOnlyFromAmong("v1", "v2");
        var strict = new Option<bool>("--strict") { Description = "LoPAR rules where QEMU deviates" };
        var force = new Option<bool>("--force") { Description = "Replace an existing machine" };
        var kernelDlpar = new Option<string>("--kernel-dlpar")
        {
            Description = "What the guest kernel's /sys/kernel/dlpar offers, from memory,cpu,dt; empty for an old kernel without it (then the cpu probe " +
                "files exist)",
            DefaultValueFactory = _ => "memory,cpu,dt",
        };
        var processorMode = new Option<string>("--processor-mode") { Description = "PowerVM: shared (an entitlement in processing units the HMC " +
            "changes through drmgr -p) or dedicated (whole cores, lparcfg read-only)", DefaultValueFactory = _ => "shared" };
        processorMode.AcceptOnlyFromAmong("shared", "dedicated");
        var entitledCapacity = new Option<int?>("--entitled-capacity") { Description = "PowerVM, shared: processing units (hundredths of a core), " +
            "default 150" };
        var ams = new Option<bool>("--ams") { Description = "PowerVM: Active Memory Sharing (an entitled memory and weight in lparcfg)" };
        var command = new Command("init", "Create an emulated partition")
        {
            cpus, maxCpus, smt, memory, maxMemory, slots, phbs, profile, cas, drmem, strict, kernelDlpar, processorMode, entitledCapacity, ams, force,
        };
        command.SetAction(r =>
        {
            var machineProfile = new MachineProfile
            {
                Flavor = r.GetValue(profile) == "powervm" ? PlatformFlavor.PowerVm : PlatformFlavor.Qemu,
                BootCpus = r.GetValue(cpus),
                MaxCpus = r.GetValue(maxCpus),
                Threads = r.GetValue(smt),
                Memory = ArgumentParsing.Size(r.GetValue(memory)!, "--memory"),
                MaxMemory = ArgumentParsing.Size(r.GetValue(maxMemory) ?? (r.GetValue(profile) == "powervm" ? "64G" : "8G"), "--max-memory"),
                MemorySlots = r.GetValue(slots),
                BootPhbs = r.GetValue(phbs),
                Negotiation = r.GetValue(cas) == "legacy" ? NegotiationMode.Legacy : NegotiationMode.Modern,
                DrmemV2 = r.GetValue(drmem) == "v2",
                Strict = r.GetValue(strict),
            };
            try
            {
                machineProfile.Validate();
            }
            catch (ArgumentException error)
            {
                throw new CliException(FailureCategory.Usage, error.Message);
            }

            Emulation.Kernel.KernelFeatures features;
            try
            {
                features = Emulation.Kernel.KernelFeatures.FromList(r.GetValue(kernelDlpar)!);
            }
            catch (ArgumentException error)
            {
                throw new CliException(FailureCategory.Usage, $"--kernel-dlpar: {error.Message}");
            }

            bool dedicated = r.GetValue(processorMode) == "dedicated";
            if (machineProfile.Flavor != PlatformFlavor.PowerVm && (dedicated || r.GetValue(entitledCapacity) is not null || r.GetValue(ams)))
            {
                throw new CliException(FailureCategory.Usage,
                    "--processor-mode, --entitled-capacity and --ams describe a PowerVM partition (--profile powervm)");
            }

            if (dedicated && r.GetValue(entitledCapacity) is not null)
            {
                throw new CliException(FailureCategory.Usage, "a dedicated partition's entitlement is its cores: --entitled-capacity is for shared ones");
            }

            Emulation.Kernel.EmulatedLparcfg? lparcfg;
            try
            {
                lparcfg = Emulation.Kernel.EmulatedLparcfg.ForProfile(machineProfile, dedicated, (ulong?)r.GetValue(entitledCapacity), r.GetValue(ams));
            }
            catch (ArgumentException error)
            {
                throw new CliException(FailureCategory.Usage, $"--entitled-capacity: {error.Message}");
            }

            using MachineLease session = MachineLease.Create(context.StateDirectory(r.GetValue(g.StateDir)), machineProfile, features, lparcfg,
                r.GetValue(force));
            session.Save();
            MachineState m = session.Platform.State;
            string flavor = machineProfile.Flavor == PlatformFlavor.Qemu ? "qemu" : "powervm";
            if (r.GetValue(g.Json))
            {
                JsonOutput.Write(context.Out, new PlatformInitDocument(session.Directory, flavor, m.Connectors.Count, m.Devices.Count),
                    JsonOutput.Documents.PlatformInitDocument);
            }
            else
            {
                context.Out.WriteLine($"Created an emulated {(flavor == "qemu" ? "QEMU pseries" : "PowerVM")} partition in {session.Directory}: " +
                    $"{m.Connectors.Count} connectors, {m.Devices.Count} devices");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context, GlobalOptions g)
    {
        var all = new Option<bool>("--all") { Description = "List every connector, not only those in use" };
        var command = new Command("show", "Show connectors, devices, queued events and fault rules") { all };
        command.SetAction(r =>
        {
            using MachineLease session = MachineLease.Open(context.StateDirectory(r.GetValue(g.StateDir)));
            if (r.GetValue(g.Json))
            {
                PlatformReport.WriteJson(context.Out, session.Partition, session.Directory);
            }
            else
            {
                PlatformReport.WriteText(context.Out, session.Partition, session.Directory, r.GetValue(all));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Devices(CliContext context, GlobalOptions g, string verb, string description, DeviceOrigin origin)
    {
        Option<string?> Id() => new("--id") { Description = "Device id (default: mem0, core1, phb1, pci0, pmem0, vio4, …)" };

        var size = new Option<string>("--size") { Description = "Size, a multiple of 256M", Required = true };
        var node = new Option<int>("--node") { Description = "NUMA node" };
        var memoryId = Id();
        var memory = new Command("memory", "Memory: a DIMM (QEMU) or LMBs (PowerVM)") { size, node, memoryId };
        memory.SetAction(r => Run(context, r, g, m => m.PlugMemory(ArgumentParsing.Size(r.GetValue(size)!, "--size"), r.GetValue(node), r.GetValue(memoryId),
            origin)));

        var coreId = new Option<int>("--core-id") { Description = "QEMU core-id: the vCPU id of the core's first thread", Required = true };
        var cpuId = Id();
        var cpu = new Command("cpu", "A CPU core") { coreId, cpuId };
        cpu.SetAction(r => Run(context, r, g, m => m.PlugCpu(r.GetValue(coreId), r.GetValue(cpuId), origin)));

        var index = new Option<int>("--index") { Description = "PHB index, 0..30", Required = true };
        var phbId = Id();
        var phb = new Command("phb", "A PCI host bridge") { index, phbId };
        phb.SetAction(r => Run(context, r, g, m => m.PlugPhb(r.GetValue(index), r.GetValue(phbId), origin)));

        var onPhb = new Option<int>("--phb") { Description = "PHB index", Required = true };
        var slot = new Option<int>("--slot") { Description = "Slot on the PHB's root bus, 0..31", Required = true };
        var function = new Option<int>("--function") { Description = "Function, 0..7" };
        var model = new Option<string>("--model") { Description = "e1000, virtio-net-pci or virtio-scsi-pci", DefaultValueFactory = _ => "e1000" };
        var pciId = Id();
        var pci = new Command("pci", "A PCI function") { onPhb, slot, function, model, pciId };
        pci.SetAction(r => Run(context, r, g, m => m.PlugPci(r.GetValue(onPhb), r.GetValue(slot), r.GetValue(function),
            PciModel.Find(r.GetValue(model)!) ?? throw new CliException(FailureCategory.Usage,
                $"unknown PCI model '{r.GetValue(model)}'; known: {string.Join(", ", PciModel.Known.Select(k => k.Name))}"),
            r.GetValue(pciId), origin)));

        var pmemSlot = new Option<int>("--slot") { Description = "Memory slot", Required = true };
        var pmemSize = new Option<string>("--size") { Description = "Size, a multiple of 256M", DefaultValueFactory = _ => "1G" };
        var pmemId = Id();
        var pmem = new Command("pmem", "An NVDIMM") { pmemSlot, pmemSize, pmemId };
        pmem.SetAction(r => Run(context, r, g, m => m.PlugPmem(r.GetValue(pmemSlot), ArgumentParsing.Size(r.GetValue(pmemSize)!, "--size"),
            r.GetValue(pmemId), origin)));

        var vioSlot = new Option<int>("--slot") { Description = "Virtual slot (PowerVM profile: 2..17)", Required = true };
        var vioModel = new Option<string>("--model") { Description = "l-lan, v-scsi or vfc-client", DefaultValueFactory = _ => "l-lan" };
        var vioId = Id();
        var vio = new Command("slot", "A virtual I/O adapter (PowerVM profile)") { vioSlot, vioModel, vioId };
        vio.SetAction(r => Run(context, r, g, m => m.PlugVio(r.GetValue(vioSlot), r.GetValue(vioModel)!, r.GetValue(vioId), origin)));

        return new Command(verb, description) { memory, cpu, phb, pci, pmem, vio };
    }

    private static Command ById(CliContext context, GlobalOptions g, string verb, string description, Action<PlatformManager, string> act)
    {
        var id = new Argument<string>("ID") { Description = "Device id, as plug printed it" };
        var command = new Command(verb, description) { id };
        command.SetAction(r => Run(context, r, g, m =>
        {
            act(m, r.GetValue(id)!);
            return null;
        }));
        return command;
    }

    private static Command Simple(CliContext context, GlobalOptions g, string verb, string description, Action<PlatformManager> act)
    {
        var command = new Command(verb, description);
        command.SetAction(r => Run(context, r, g, m =>
        {
            act(m);
            return null;
        }));
        return command;
    }

    private static Command Partitionwide(CliContext context, GlobalOptions g, string verb, string description, Action<EmulatedPartition> act)
    {
        var command = new Command(verb, description);
        command.SetAction(r =>
        {
            using MachineLease session = MachineLease.Open(context.StateDirectory(r.GetValue(g.StateDir)));
            act(session.Partition);
            session.Save();
            return Done(context, r, g);
        });
        return command;
    }

    /// <summary>On the emulated platform or on QEMU (<c>--platform qemu</c>): the emulated kernel takes what the firmware queued.</summary>
    private static Command Interrupt(CliContext context, GlobalOptions g)
    {
        var command = new Command("interrupt",
            "Let the guest kernel take pending interrupts: it handles memory and CPU hotplug itself and logs the rest (emulated or --platform qemu)");
        command.SetAction(r =>
        {
            using IBackend session = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir)).OpenBackend();
            session.CatchUp();
            session.Save();
            return Done(context, r, g);
        });
        return command;
    }

    private static Command Faults(CliContext context, GlobalOptions g)
    {
        var service = new Option<string>("--service") { Description = "RTAS service, e.g. set-indicator", Required = true };
        var drc = new Option<string?>("--drc") { Description = "Only calls for this DRC index" };
        var indicator = new Option<string?>("--indicator") { Description = "Only this indicator or sensor type (set-indicator, get-sensor-state)" };
        var after = new Option<int>("--after") { Description = "Matching calls that pass first" };
        var times = new Option<int>("--times") { Description = "How many calls fail (or storms happen)", DefaultValueFactory = _ => 1 };
        var status = new Option<string>("--status") { Description = "S (e.g. -9001), busy:M (M busy answers, then the real call) or " +
            "delay:990x:M", Required = true };
        var add = new Command("add", "Add a fault rule") { service, drc, indicator, after, times, status };
        add.SetAction(r =>
        {
            string name = r.GetValue(service)!;
            if (!EmulatedPlatform.TokenOf(name).HasValue)
            {
                throw new CliException(FailureCategory.Usage, $"unknown RTAS service '{name}'");
            }

            (FaultKind kind, int code, int storm) = FaultSpec.Parse(r.GetValue(status)!);
            var rule = new FaultRule
            {
                Service = name,
                Drc = r.GetValue(drc) is { } d ? ArgumentParsing.Number(d, "--drc") : null,
                Indicator = r.GetValue(indicator) is { } i ? ArgumentParsing.Number(i, "--indicator") : null,
                After = r.GetValue(after) >= 0 ? r.GetValue(after) : throw new CliException(FailureCategory.Usage, "--after must not be negative"),
                Times = r.GetValue(times) >= 1 ? r.GetValue(times) : throw new CliException(FailureCategory.Usage, "--times must be at least 1"),
                Kind = kind,
                Status = code,
                StormLength = storm,
            };
            using MachineLease session = MachineLease.Open(context.StateDirectory(r.GetValue(g.StateDir)));
            session.Platform.State.Faults.Add(rule);
            session.Save();
            int number = session.Platform.State.Faults.Count - 1;
            if (r.GetValue(g.Json))
            {
                JsonOutput.Write(context.Out, new FaultAddedDocument(new FaultDocument(number, rule.Describe())), JsonOutput.Documents.FaultAddedDocument);
            }
            else
            {
                context.Out.WriteLine($"fault {number}: {rule.Describe()}");
            }

            return ExitCodes.Success;
        });

        var list = new Command("list", "List fault rules");
        list.SetAction(r =>
        {
            using MachineLease session = MachineLease.Open(context.StateDirectory(r.GetValue(g.StateDir)));
            List<FaultRule> rules = session.Platform.State.Faults;
            if (r.GetValue(g.Json))
            {
                JsonOutput.Write(context.Out, new FaultListDocument([.. rules.Select((rule, i) => new FaultDocument(i, rule.Describe()))]),
                    JsonOutput.Documents.FaultListDocument);
                return ExitCodes.Success;
            }

            for (int i = 0; i < rules.Count; i++)
            {
                context.Out.WriteLine($"fault {i}: {rules[i].Describe()}");
            }

            return ExitCodes.Success;
        });

        var clear = new Command("clear", "Remove every fault rule");
        clear.SetAction(r =>
        {
            using MachineLease session = MachineLease.Open(context.StateDirectory(r.GetValue(g.StateDir)));
            session.Platform.State.Faults.Clear();
            session.Save();
            return Done(context, r, g);
        });

        return new Command("fault", "Inject firmware failures") { add, list, clear };
    }

    private static Command Rtas(CliContext context, GlobalOptions g)
    {
        var command = new Command("rtas", "RTAS console: one call per line on stdin, one answer per line on stdout");
        command.SetAction(r =>
        {
            using MachineLease session = MachineLease.Open(context.StateDirectory(r.GetValue(g.StateDir)));
            var console = new RtasConsole(session.Platform);
            using StreamReader input = InputFile.OpenStandardInputText(context);
            bool json = r.GetValue(g.Json);
            var calls = new List<(string Call, string Answer)>();
            while (input.ReadLine() is { } line)
            {
                if (console.Execute(line) is { } answer)
                {
                    if (json)
                    {
                        calls.Add((line.Trim(), answer));
                    }
                    else
                    {
                        // A console: each answer goes out before the next call is read (stdout is block-buffered).
                        context.Out.WriteLine(answer);
                        context.Out.Flush();
                    }
                }
            }

            session.Save();
            if (json)
            {
                JsonOutput.Write(context.Out, new RtasConsoleDocument([.. calls.Select(c => new RtasConsoleCallDocument(c.Item1, c.Item2))]),
                    JsonOutput.Documents.RtasConsoleDocument);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>dlpar platform kernel</c>: <see cref="KernelConsole"/> on the platform's kernel (the emulated one, or Linux's).</summary>
    private static Command KernelConsoleCommand(CliContext context, GlobalOptions g)
    {
        var command = new Command("kernel", "Kernel console: one write per line on stdin (dlpar TEXT, ofdt TEXT, memory N online|offline, " +
            "cpu N online|offline, property PATH), its errno per line on stdout");
        command.SetAction(r =>
        {
            using IBackend session = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir)).OpenBackend();
            session.CatchUp();
            var console = new KernelConsole(session.Kernel);
            using StreamReader input = InputFile.OpenStandardInputText(context);
            bool json = r.GetValue(g.Json);
            var writes = new List<RtasConsoleCallDocument>();
            while (input.ReadLine() is { } line)
            {
                if (console.Execute(line) is not { } answer)
                {
                    continue;
                }

                if (json)
                {
                    writes.Add(new RtasConsoleCallDocument(line.Trim(), answer));
                }
                else
                {
                    context.Out.WriteLine(answer);
                    context.Out.Flush();
                }
            }

            session.Save();
            if (json)
            {
                JsonOutput.Write(context.Out, new RtasConsoleDocument(writes), JsonOutput.Documents.RtasConsoleDocument);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>dlpar platform migrate [--cancel]</c>: the HMC's side of Live Partition Mobility (a VASI stream for drmgr -m -p pre).</summary>
    private static Command Migrate(CliContext context, GlobalOptions g)
    {
        var cancel = new Option<bool>("--cancel") { Description = "Call off the migration under way before the partition suspends" };
        var command = new Command("migrate", "Start a Live Partition Mobility migration of the PowerVM partition: prints the stream id the HMC gives " +
            "drmgr -m -c pmig -p pre -s ID") { cancel };
        command.SetAction(r =>
        {
            using MachineLease session = MachineLease.Open(context.StateDirectory(r.GetValue(g.StateDir)));
            Emulation.Kernel.EmulatedMigration migration = session.Partition.Kernel.Migration
                ?? throw new CliException(FailureCategory.Refused, "this partition cannot migrate: Live Partition Mobility needs the PowerVM profile");
            string? stream = null;
            if (r.GetValue(cancel))
            {
                if (!migration.Cancel())
                {
                    throw new CliException(FailureCategory.Refused, "no migration is under way");
                }
            }
            else
            {
                try
                {
                    stream = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0x{migration.Open():x}");
                }
                catch (InvalidOperationException busy)
                {
                    throw new CliException(FailureCategory.Refused, busy.Message);
                }
            }

            session.Save();
            if (r.GetValue(g.Json))
            {
                JsonOutput.Write(context.Out, new DeviceDocument(stream), JsonOutput.Documents.DeviceDocument);
            }
            else if (stream is not null)
            {
                context.Out.WriteLine(stream);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Opens the machine, runs a management operation, saves; a device id returned is printed.</summary>
    private static int Run(CliContext context, ParseResult r, GlobalOptions g, Func<PlatformManager, string?> operation)
    {
        using MachineLease session = MachineLease.Open(context.StateDirectory(r.GetValue(g.StateDir)));
        string? id;
        try
        {
            id = operation(session.Platform.Management);
        }
        catch (PlatformException error)
        {
            throw new CliException(FailureCategory.Refused, error.Message);
        }

        session.Save();
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

    /// <summary>What a command that only changes something prints: nothing, or <c>{"ok": true}</c>.</summary>
    private static int Done(CliContext context, ParseResult r, GlobalOptions g)
    {
        if (r.GetValue(g.Json))
        {
            JsonOutput.Write(context.Out, new OkDocument(), JsonOutput.Documents.OkDocument);
        }

        return ExitCodes.Success;
    }
}
