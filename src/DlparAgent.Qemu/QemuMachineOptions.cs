using System.Globalization;

namespace DlparAgent.Qemu;

/// <summary>
/// The pseries machine to start: the same shape as an emulated-platform profile (boot and maximum
/// CPUs, SMT, boot and maximum memory, DIMM slots, cold-plugged PHBs) and how it negotiates: not at
/// all (TCG <c>-S</c>, no guest code runs) or through a CAS client image SLOF boots.
/// </summary>
public sealed record QemuMachineOptions
{
    public const ulong MiB = 1UL << 20;

    public int BootCpus { get; init; } = 1;

    public int MaxCpus { get; init; } = 8;

    public int Threads { get; init; } = 1;

    public ulong Memory { get; init; } = 2048 * MiB;

    public ulong MaxMemory { get; init; } = 8192 * MiB;

    public int MemorySlots { get; init; } = 8;

    /// <summary>PHBs present at boot: PHB 0 is QEMU's default <c>pci.0</c>; 1..n-1 are added with <c>-device</c>.</summary>
    public int BootPhbs { get; init; } = 1;

    /// <summary>Slots of PHB 0 given an e1000 at boot (the real-Linux guest has one in slot 1).</summary>
    public IReadOnlyList<int> BootNicSlots { get; init; } = [];

    /// <summary>The guest client that performs CAS (an ELF image), or null for the no-CAS machine under <c>-S</c>.</summary>
    public string? CasClient { get; init; }

    /// <summary>Extra <c>-machine</c> properties, e.g. <c>modern-hotplug-events=off</c>.</summary>
    public IReadOnlyList<string> MachineProperties { get; init; } = [];

    /// <summary>The SLOF console of a CAS boot goes here (null: discarded).</summary>
    public string? ConsoleLog { get; init; }

    public void Validate()
    {
        if (BootCpus < 1 || MaxCpus < BootCpus || Threads < 1 || MaxCpus % Threads != 0 || BootCpus % Threads != 0)
        {
            throw new ArgumentException($"CPUs: boot {BootCpus}, max {MaxCpus}, SMT {Threads} do not form whole cores");
        }

        if (Memory == 0 || Memory % (256 * MiB) != 0 || MaxMemory < Memory || MaxMemory % (256 * MiB) != 0)
        {
            throw new ArgumentException("memory and maximum memory must be multiples of 256 MiB, the maximum no smaller");
        }

        if (BootPhbs < 1 || BootPhbs > 31)
        {
            throw new ArgumentException("1 to 31 PHBs at boot");
        }

        if (BootNicSlots.Any(s => s is < 0 or > 31) || BootNicSlots.Distinct().Count() != BootNicSlots.Count)
        {
            throw new ArgumentException("boot NICs go in distinct slots 0 to 31 of PHB 0");
        }
    }

    /// <summary>The command line (after the executable) with the qtest and QMP chardev specifications given.</summary>
    public IReadOnlyList<string> Arguments(string qtestChardev, string qmpChardev)
    {
        Validate();
        string machine = string.Join(',', ["pseries", .. MachineProperties]);
        var arguments = new List<string>
        {
            "-machine", machine,
            "-accel", "tcg",
            "-qtest", qtestChardev,
            "-qtest-log", "/dev/null",
            "-chardev", $"socket,id=qmp0,{qmpChardev}",
            "-mon", "chardev=qmp0,mode=control",
            "-display", "none",
            "-nodefaults",
            "-monitor", "none",
            "-smp", Invariant($"cpus={BootCpus},maxcpus={MaxCpus},cores={MaxCpus / Threads},threads={Threads},sockets=1"),
            "-m", Invariant($"{Memory / MiB}M,slots={MemorySlots},maxmem={MaxMemory / MiB}M"),
        };
        if (CasClient is null)
        {
            // vCPUs stay stopped: SLOF never runs, so nothing but the harness touches guest memory.
            arguments.AddRange(["-S", "-serial", "none"]);
        }
        else
        {
            arguments.AddRange(["-kernel", CasClient, "-serial", ConsoleLog is null ? "null" : "file:" + ConsoleLog]);
        }

        for (int phb = 1; phb < BootPhbs; phb++)
        {
            arguments.AddRange(["-device", Invariant($"spapr-pci-host-bridge,index={phb},id=phb{phb}")]);
        }

        foreach (int slot in BootNicSlots)
        {
            arguments.AddRange(["-device", Invariant($"e1000,id=nic{slot},bus=pci.0,addr=0x{slot:x},romfile=")]);
        }

        return arguments;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
