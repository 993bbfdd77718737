using DlparAgent.Core.Rtas;

namespace DlparAgent.Qemu.Tests;

/// <summary>Against Debian's qemu-system-ppc64 when it is installed (CI installs it; elsewhere these skip with the reason).</summary>
public sealed class RealQemuTests
{
    [RealQemuFact]
    public void A_machine_starts_answers_RTAS_and_reports_hotplug_completion()
    {
        using QemuMachine machine = QemuMachine.Launch(new QemuMachineOptions(), Environment.GetEnvironmentVariable);

        Assert.StartsWith("7.", machine.Version, StringComparison.Ordinal);
        Assert.Equal("prelaunch", machine.Management.RunState());
        Assert.True(machine.Rtas.HasService(RtasServices.ConfigureConnector));
        Assert.Equal(new RtasResult(RtasStatus.Success, 1), machine.Rtas.GetSensorState(9003, 0x1000_0000));

        machine.Management.AddPci(0, 3, id: "n1");
        Assert.Equal(0, machine.Rtas.CheckException(0x500, 0, 0x4000_0000, new byte[2048]).Value);
        machine.Management.Remove("n1");
        Assert.Equal("DEVICE_DELETED n1", machine.Qmp.WaitFor(e => e.Device == "n1", TimeSpan.FromSeconds(5)).ToString());
    }

    [RealQemuFact]
    public void A_refusal_and_a_bad_command_line_are_typed()
    {
        using (QemuMachine machine = QemuMachine.Launch(new QemuMachineOptions(), Environment.GetEnvironmentVariable))
        {
            var refused = Assert.Throws<QemuException>(() => machine.Management.AddMemory(384 * QemuMachineOptions.MiB));
            Assert.Equal(QemuProblem.Refused, refused.Problem);
            Assert.Empty(machine.Management.MemoryDevices());
        }

        var died = Assert.Throws<QemuException>(() => QemuMachine.Launch(new QemuMachineOptions { MachineProperties = ["no-such-property=on"] },
            Environment.GetEnvironmentVariable));
        Assert.Equal(QemuProblem.Died, died.Problem);
        Assert.Contains("no-such-property", died.Message, StringComparison.Ordinal);
    }

    [RealQemuFact]
    public void A_QEMU_that_dies_is_reported_as_dead()
    {
        using QemuMachine machine = QemuMachine.Launch(new QemuMachineOptions(), Environment.GetEnvironmentVariable);
        machine.Qmp.Execute("quit");

        var error = Assert.Throws<QemuException>(() => machine.Rtas.GetSensorState(9003, 0x1000_0000));

        Assert.Equal(QemuProblem.Died, error.Problem);
    }

    [RealQemuFact(NeedsCasClient = true)]
    public void The_CAS_client_negotiates_for_real()
    {
        using QemuMachine machine = QemuMachine.Launch(
            new QemuMachineOptions { CasClient = CasClientImage.Path(drmemV2: false, hotplugEvents: true) },
            Environment.GetEnvironmentVariable);

        CasClientImage.WaitNegotiated(machine, TimeSpan.FromSeconds(60));
        machine.Management.Pause();
        var tree = Core.Formats.Fdt.FdtReader.Read(machine.Management.DumpDeviceTree());

        // Variant B of qemu-reference.md §10: DRCONF_MEMORY, FORM1, FORM2, HP_EVT, HPT_RESIZE; no DRMEM_V2.
        Assert.Equal("0500200000A005", Convert.ToHexString(tree.Root.Find("/chosen")!.GetProperty("ibm,architecture-vec-5")!.Value));
        Assert.NotNull(tree.Root.Find("/ibm,dynamic-reconfiguration-memory")!.GetProperty("ibm,dynamic-memory"));
        Assert.Equal("paused", machine.Management.RunState());
    }
}
