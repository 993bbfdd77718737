namespace DlparAgent.Qemu.Tests;

/// <summary>The command line a profile gives QEMU.</summary>
public sealed class QemuMachineOptionsTests
{
    [Fact]
    public void The_default_is_the_reference_machine_stopped_under_TCG()
    {
        IReadOnlyList<string> arguments = new QemuMachineOptions().Arguments("unix:/q", "path=/m");

        Assert.Equal(
            "-machine pseries -accel tcg -qtest unix:/q -qtest-log /dev/null -chardev socket,id=qmp0,path=/m -mon chardev=qmp0,mode=control "
            + "-display none -nodefaults -monitor none -smp cpus=1,maxcpus=8,cores=8,threads=1,sockets=1 -m 2048M,slots=8,maxmem=8192M -S -serial none",
            string.Join(' ', arguments));
    }

    [Fact]
    public void A_CAS_client_boots_instead_and_extra_PHBs_are_cold_plugged()
    {
        IReadOnlyList<string> arguments = new QemuMachineOptions
        {
            BootCpus = 8,
            MaxCpus = 16,
            Threads = 8,
            BootPhbs = 3,
            CasClient = "/tmp/cas.elf",
            MachineProperties = ["modern-hotplug-events=off"],
        }.Arguments("unix:/q", "path=/m");

        string line = string.Join(' ', arguments);
        Assert.StartsWith("-machine pseries,modern-hotplug-events=off ", line, StringComparison.Ordinal);
        Assert.Contains("-smp cpus=8,maxcpus=16,cores=2,threads=8,sockets=1", line, StringComparison.Ordinal);
        Assert.Contains("-kernel /tmp/cas.elf -serial null", line, StringComparison.Ordinal);
        Assert.DoesNotContain("-S", arguments);
        Assert.Contains("spapr-pci-host-bridge,index=1,id=phb1", arguments);
        Assert.Contains("spapr-pci-host-bridge,index=2,id=phb2", arguments);
    }

    [Theory]
    [InlineData(0, 8, 1, 2048UL, 8192UL, 1)]
    [InlineData(3, 8, 2, 2048UL, 8192UL, 1)]
    [InlineData(1, 8, 1, 1000UL, 8192UL, 1)]
    [InlineData(1, 8, 1, 2048UL, 1024UL, 1)]
    [InlineData(1, 8, 1, 2048UL, 8192UL, 32)]
    public void Shapes_QEMU_would_refuse_are_refused_here(int cpus, int maxCpus, int threads, ulong memoryMiB, ulong maxMemoryMiB, int phbs)
    {
        var options = new QemuMachineOptions
        {
            BootCpus = cpus,
            MaxCpus = maxCpus,
            Threads = threads,
            Memory = memoryMiB * QemuMachineOptions.MiB,
            MaxMemory = maxMemoryMiB * QemuMachineOptions.MiB,
            BootPhbs = phbs,
        };

        Assert.Throws<ArgumentException>(options.Validate);
    }
}
