using System.Diagnostics;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Inventory;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Service.Tests;

/// <summary>End to end with a real dlpard process: hotplug through it, bursts, malformed records, and a kill mid-event.</summary>
public sealed class DaemonProcessTests
{
    [Fact]
    public void A_plugged_pci_function_is_configured_and_goes_on_unplug()
    {
        // How fast is a figure of the benchmarks (event-to-action), not a bound in a test.
        using var machine = new Machine();
        using var daemon = new Daemon(machine.StateDirectory);

        Assert.Equal(0, Dlpar(machine, "platform", "plug", "pci", "--phb", "0", "--slot", "3").ExitCode);
        daemon.WaitFor(l => l.Contains("pci add index 0x40000018: 1 of 1 done", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(machine.Read(p => ConnectorInventory.Read(p.Kernel).Find("0x40000018")!.Owned));

        Assert.Equal(0, Dlpar(machine, "platform", "unplug", "pci0").ExitCode);
        daemon.WaitFor(l => l.Contains("pci remove index 0x40000018: 1 of 1 done", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.False(machine.Read(p => ConnectorInventory.Read(p.Kernel).Find("0x40000018")!.Owned));
        Assert.DoesNotContain(machine.Read(p => p.Platform.State.Devices), d => d.Id == "pci0");
    }

    [Fact]
    public void A_phb_comes_and_goes()
    {
        using var machine = new Machine();
        using var daemon = new Daemon(machine.StateDirectory);

        Assert.Equal(0, Dlpar(machine, "platform", "plug", "phb", "--index", "1").ExitCode);
        daemon.WaitFor(l => l.Contains("phb add index 0x20000001: 1 of 1 done", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(machine.Read(p => ConnectorInventory.Read(p.Kernel).Find("PHB 1")!.Owned));

        Assert.Equal(0, Dlpar(machine, "platform", "unplug", "phb1").ExitCode);
        daemon.WaitFor(l => l.Contains("phb remove index 0x20000001: 1 of 1 done", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.False(machine.Read(p => ConnectorInventory.Read(p.Kernel).Find("PHB 1")!.Owned));
    }

    [Fact]
    public void A_burst_of_100_events_is_handled_in_order_with_none_lost()
    {
        // The kernel offers only 'dt', so CPU events reach the error log for the service; all
        // 100 are queued in one change, more than the 64-record error log holds.
        using var machine = new Machine(new MachineProfile { BootCpus = 1, MaxCpus = 128, BootPhbs = 1 }, kernelDlpar: "dt");
        using var daemon = new Daemon(machine.StateDirectory);

        machine.Change(p =>
        {
            for (int core = 1; core <= 100; core++)
            {
                p.Platform.Management.PlugCpu(core, null, DeviceOrigin.Hotplug);
            }
        });

        daemon.WaitFor(l => l.Contains("Event 100: cpu add", StringComparison.Ordinal) && l.Contains("1 of 1 done", StringComparison.Ordinal),
            TimeSpan.FromSeconds(120));
        string[] done = [.. daemon.Lines.Where(l => l.Contains(": 1 of 1 done", StringComparison.Ordinal) && l.Contains("dlpard", StringComparison.Ordinal))];
        Assert.Equal(Enumerable.Range(1, 100), done.Select(l => int.Parse(l.Split("Event ")[1].Split(':')[0],
            System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"0x{0x10000000 + i:x}"), done.Select(l => l.Split("cpu add index ")[1].Split(':')[0]));
        Assert.Equal(101, machine.Read(p => ConnectorInventory.Read(p.Kernel).OfKind(ConnectorKind.Cpu).Count(e => e.Owned)));
    }

    [Fact]
    public void Malformed_records_are_skipped_and_the_next_event_is_handled()
    {
        using var machine = new Machine();
        using var daemon = new Daemon(machine.StateDirectory);

        machine.Change(p =>
        {
            p.Kernel.State.LogError([0x06, 0x24, 0x00, 0xE5, 0x00, 0x00, 0xFF, 0xFF, 1, 2, 3]);
            p.Kernel.State.LogError([0x06, 0x04, 0x00, 0xE5, 0x00, 0x00, 0x10, 0x00]);
            p.Platform.Management.PlugPci(0, 4, 0, null, null, DeviceOrigin.Hotplug);
        });

        daemon.WaitFor(l => l.Contains("pci add index 0x40000020: 1 of 1 done", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(2, daemon.Lines.Count(l => l.Contains("Skipped a malformed error-log record", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_kill_during_an_event_is_recovered_on_restart()
    {
        using var machine = new Machine();
        // The engine powers and unisolates a PHB itself: 50 extended delays of 100 ms make the event last seconds.
        machine.Change(p => p.Platform.State.Faults.Add(new FaultRule { Service = RtasServices.SetIndicator, Kind = FaultKind.Delay, Status = 9902,
            StormLength = 50, Times = 1 }));
        using (var daemon = new Daemon(machine.StateDirectory))
        {
            Assert.Equal(0, Dlpar(machine, "platform", "plug", "phb", "--index", "1").ExitCode);
            daemon.WaitFor(l => l.Contains("Event 1: phb add index 0x20000001", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            Thread.Sleep(500);
            daemon.Kill();
            Assert.DoesNotContain(daemon.Lines, l => l.Contains("1 of 1 done", StringComparison.Ordinal));
        }

        Assert.Contains("begin", File.ReadAllText(Path.Combine(machine.StateDirectory, "journal")), StringComparison.Ordinal);
        using (var restarted = new Daemon(machine.StateDirectory))
        {
            restarted.WaitFor(l => l.Contains("Recovery: ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        }

        // Settled: the PHB's node exists exactly when its connector is configured.
        machine.Read(p =>
        {
            DtNode tree = p.Kernel.ReadDeviceTree();
            bool node = tree.Children.Any(n => n.GetUInt32("ibm,my-drc-index") == 0x20000001);
            DrcState state = p.Platform.State.Connectors.Single(c => c.Index == 0x20000001).State;
            Assert.Equal(node, state == DrcState.LogicalConfigured);
            return 0;
        });
    }

    private static (int ExitCode, string Out, string Error) Dlpar(Machine machine, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory,
            "dlpar")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--state-dir");
        start.ArgumentList.Add(machine.StateDirectory);
        args.ToList().ForEach(start.ArgumentList.Add);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd(), error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
    }
}
