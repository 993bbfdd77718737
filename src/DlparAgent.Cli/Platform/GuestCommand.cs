using System.CommandLine;
using System.Globalization;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Hosting;
using DlparAgent.Qemu;
using DlparAgent.Qemu.Guest;

namespace DlparAgent.Cli.Platform;

/// <summary>
/// <c>dlpar platform guest build|start|stop|status|run|plug|unplug</c>: the real-Linux test guest
/// (Debian's ppc64el kernel and powerpc-utils under QEMU pseries), which <c>--platform guest:DIR</c>
/// drives with the real Linux backend.
/// </summary>
internal static class GuestCommand
{
    public static Command Create(CliContext context, GlobalOptions g) => new("guest",
        "The real-Linux guest: Debian's ppc64el kernel, drmgr, lsslot and rtas_errd under QEMU; --platform guest:DIR drives it with the Linux backend")
    {
        Build(context, g),
        Start(context, g),
        Stop(context, g),
        Status(context, g),
        Run(context, g),
        Plug(context, g),
        Unplug(context, g),
    };

    private static Option<string?> DirectoryOption() => new("--dir") { Description = "The guest's directory (default: the state directory's guest/)" };

    private static string DirectoryOf(CliContext context, ParseResult r, GlobalOptions g, Option<string?> dir) =>
        r.GetValue(dir) is { Length: > 0 } chosen ? Path.GetFullPath(chosen) : AgentHost.DefaultGuestDirectory(context.StateDirectory(r.GetValue(g.StateDir)));

    private static Command Build(CliContext context, GlobalOptions g)
    {
        var command = new Command("build", "Assemble the guest from Debian's ppc64el packages into the cache (nothing is installed on this machine)");
        command.SetAction(r =>
        {
            GuestImage image = GuestImageBuilder.Build(context.Environment, context.Error);
            Report(context, r, g, new GuestImageDocument(image.Directory, image.KernelRelease, image.Packages), $"{image.Directory}\n{image.KernelRelease}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Start(CliContext context, GlobalOptions g)
    {
        var dir = DirectoryOption();
        var kernelArgs = new Option<string>("--kernel-args")
        {
            Description = "Extra kernel parameters, e.g. lockdown=integrity",
            DefaultValueFactory = _ => string.Empty,
        };
        var memory = new Option<int>("--memory") { Description = "Boot memory in MiB", DefaultValueFactory = _ => 2048 };
        var cpus = new Option<int>("--cpus") { Description = "Boot CPU cores", DefaultValueFactory = _ => 1 };
        var noHotplugEvents = new Option<bool>("--no-hotplug-events")
        {
            Description = "Boot without the kernel's hotplug-event interrupt: plugged memory and CPUs wait for drmgr, as on PowerVM " +
                "(PCI events then miss the error log too)",
        };
        var command = new Command("start", "Build the guest if needed, boot it detached and wait until it takes commands")
        {
            dir, kernelArgs, memory, cpus, noHotplugEvents,
        };
        command.SetAction(r =>
        {
            string directory = DirectoryOf(context, r, g, dir);
            GuestImage image = GuestImageBuilder.Build(context.Environment, context.Error);
            var options = new GuestMachineOptions
            {
                KernelParameters = r.GetValue(kernelArgs)!,
                MemoryMiB = r.GetValue(memory),
                Cpus = r.GetValue(cpus),
                KernelTakesHotplugEvents = !r.GetValue(noHotplugEvents),
            };
            int pid = DetachedGuest.Start(image, options, directory, context.Environment);
            Report(context, r, g, new GuestStatusDocument(directory, pid, image.KernelRelease, DetachedGuest.BootSeconds(directory)),
                $"guest {image.KernelRelease} runs for {directory} (pid {pid}); use --platform guest:{directory}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Stop(CliContext context, GlobalOptions g)
    {
        var dir = DirectoryOption();
        var command = new Command("stop", "Stop the guest") { dir };
        command.SetAction(r =>
        {
            string directory = DirectoryOf(context, r, g, dir);
            bool stopped = DetachedGuest.Stop(directory);
            Report(context, r, g, new GuestStatusDocument(directory, null, null, null), stopped ? "stopped" : "no guest was running");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(CliContext context, GlobalOptions g)
    {
        var dir = DirectoryOption();
        var command = new Command("status", "Show whether the guest runs, its kernel, how long it took to boot, and the devices and DIMMs QEMU has") { dir };
        command.SetAction(r =>
        {
            string directory = DirectoryOf(context, r, g, dir);
            int? pid = DetachedGuest.Pid(directory) ?? throw new QemuException(QemuProblem.NotRunning, $"no real-Linux guest runs for {directory}");
            string? release = DetachedGuest.KernelRelease(directory);
            double? boot = DetachedGuest.BootSeconds(directory);
            (IReadOnlyList<string> devices, IReadOnlyList<QemuDimm> dimms) = Devices(directory);
            string listed = dimms.Count == 0
                ? "none"
                : string.Join(", ", dimms.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Id} at 0x{d.Address:x} ({d.Size >> 20} MiB)")));
            Report(context, r, g, new GuestStatusDocument(directory, pid, release, boot) { Devices = devices, Dimms = [.. dimms.Select(GuestDimmDocument.Of)] },
                $"pid {pid}, kernel {release}, booted in {boot:0.0} s, devices: {string.Join(", ", devices)}, DIMMs: {listed}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Run(CliContext context, GlobalOptions g)
    {
        var dir = DirectoryOption();
        var words = new Argument<string[]>("COMMAND")
        {
            Description = "A shell command line run in the guest (stdin is /dev/null)",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("run", "Run a command in the guest; its stdout, stderr and exit code are this command's") { dir, words };
        command.SetAction(r =>
        {
            (GuestConsole console, QmpClient qmp) = DetachedGuest.Attach(DirectoryOf(context, r, g, dir));
            using (console)
            using (qmp)
            {
                GuestCommandResult result = console.Run(string.Join(' ', r.GetValue(words)!), TimeSpan.FromMinutes(10));
                if (r.GetValue(g.Json))
                {
                    JsonOutput.Write(context.Out, new GuestRunDocument(result.ExitCode, result.Out, result.Error), JsonOutput.Documents.GuestRunDocument);
                }
                else
                {
                    context.Out.Write(result.Out);
                    context.Error.Write(result.Error);
                }

                return result.ExitCode;
            }
        });
        return command;
    }

    private static Command Plug(CliContext context, GlobalOptions g)
    {
        var memoryDir = DirectoryOption();
        var size = new Option<string>("--size") { Description = "DIMM size, a multiple of 256M", Required = true };
        var memory = new Command("memory", "A DIMM; the guest's kernel adds and onlines its LMBs itself") { memoryDir, size };
        memory.SetAction(r => Manage(context, r, g, memoryDir, m => m.AddMemory(ArgumentParsing.Size(r.GetValue(size)!, "--size"))));

        var cpuDir = DirectoryOption();
        var coreId = new Option<int>("--core-id") { Description = "QEMU core-id", Required = true };
        var cpu = new Command("cpu", "A CPU core; the guest's kernel adds and onlines it itself") { cpuDir, coreId };
        cpu.SetAction(r => Manage(context, r, g, cpuDir, m => m.AddCpuCore(r.GetValue(coreId))));

        var pciDir = DirectoryOption();
        var slot = new Option<int>("--slot") { Description = "Slot on PHB 0's root bus, 2..31 (1 holds the boot NIC)", Required = true };
        var pci = new Command("pci", "An e1000 on PHB 0; the kernel only logs the event: drmgr -c pci -a (or dlpard) configures it") { pciDir, slot };
        pci.SetAction(r => Manage(context, r, g, pciDir, m => m.AddPci(0, r.GetValue(slot))));

        var phbDir = DirectoryOption();
        var index = new Option<int>("--index") { Description = "PHB index, 1..30", Required = true };
        var phb = new Command("phb", "A PCI host bridge; drmgr -c phb -a (or dlpard) configures it") { phbDir, index };
        phb.SetAction(r => Manage(context, r, g, phbDir, m => m.AddPhb(r.GetValue(index))));

        return new Command("plug", "Hot-add a device over QMP, as the HMC does") { memory, cpu, pci, phb };
    }

    private static Command Unplug(CliContext context, GlobalOptions g)
    {
        var dir = DirectoryOption();
        var id = new Argument<string>("ID") { Description = "Device id, as plug printed it" };
        var command = new Command("unplug", "Request removal over QMP (device_del)") { dir, id };
        command.SetAction(r => Manage(context, r, g, dir, m =>
        {
            m.Remove(r.GetValue(id)!);
            return null;
        }));
        return command;
    }

    private static (IReadOnlyList<string> Devices, IReadOnlyList<QemuDimm> Dimms) Devices(string directory)
    {
        (GuestConsole console, QmpClient qmp) = DetachedGuest.Attach(directory);
        using (console)
        using (qmp)
        {
            var management = new QemuManagement(qmp);
            return (management.Devices(), management.Dimms());
        }
    }

    private static int Manage(CliContext context, ParseResult r, GlobalOptions g, Option<string?> dir, Func<QemuManagement, string?> operation)
    {
        (GuestConsole console, QmpClient qmp) = DetachedGuest.Attach(DirectoryOf(context, r, g, dir));
        using (console)
        using (qmp)
        {
            string? device = operation(new QemuManagement(qmp));
            Report(context, r, g, new DeviceDocument(device), device);
            return ExitCodes.Success;
        }
    }

    private static void Report<T>(CliContext context, ParseResult r, GlobalOptions g, T document, string? text)
    {
        if (r.GetValue(g.Json))
        {
            JsonOutput.Write(context.Out, document, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)JsonOutput.Documents.GetTypeInfo(typeof(T))!);
        }
        else if (text is not null)
        {
            context.Out.WriteLine(text);
        }
    }
}
