using DlparAgent.Core.Kernel;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>
/// The same writes to <c>/sys/kernel/dlpar</c> on Linux 6.1 in the real guest and on the emulated
/// kernel of a machine of the same shape (QEMU pseries after CAS: 2 GiB of 8, one CPU of 8, no
/// DIMM, <c>memory,cpu</c>): the errno of each must match, or differ as <see cref="ToolDivergences"/>
/// says. Every request changes nothing there: malformed ones, and well-formed ones that fail or
/// find nothing to do, so the guest keeps its shape for the next.
/// </summary>
[Collection("real guest")]
public sealed class KernelRequestDifferentialTests(RealToolsGuestFixture guest) : IClassFixture<RealToolsGuestFixture>
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["Invalid argument"] = nameof(Errno.EINVAL),
        ["No such device"] = nameof(Errno.ENODEV),
        ["Operation not permitted"] = nameof(Errno.EPERM),
        ["No such file or directory"] = nameof(Errno.ENOENT),
        ["Device or resource busy"] = nameof(Errno.EBUSY),
        ["Out of memory"] = nameof(Errno.ENOMEM),
    };

    public static TheoryData<string> Requests =>
    [
        "foo",
        "\n",
        "MEMORY add count 1",
        "pci add index 0x40000008",
        "phb add index 0x20000001",
        "pmem add index 0x80000008",
        "memory",
        "memory add",
        "memory frob count 1",
        "memory  add count 1",
        "memory add count",
        "memory add count abc",
        "memory add count 0",
        "memory add count 100",
        "memory add count 1",
        "memory add count 1\n",
        "memory add index",
        "memory add index zz",
        "memory add index 0x80000008",
        "memory add index 0xdeadbeef",
        "memory add drc 1",
        "memory remove ic 1 0x80000008",
        "memory remove count 1",
        "memory remove count 100",
        "memory remove index 0x80000008",
        "memory remove index 0xdeadbeef",
        "memory remove indexed-count 1 0x80000008",
        "memory add indexed-count 0 0x80000008",
        "cpu add count 1",
        "cpu remove count 1",
        "cpu add count 1 extra",
        "cpu add index 0x10000000",
        "cpu add index 0x10000002",
        "cpu remove index 0x10000000",
        "cpu remove index 0x10000002",
        "cpu remove index 0xdeadbeef",
    ];

    [GuestCliTheory]
    [MemberData(nameof(Requests))]
    public void The_emulated_kernel_answers_a_request_as_linux_does(string request)
    {
        string real = RealErrno(request);
        string ours = EmulatedErrno(request);
        string command = "write " + request.Replace("\n", "\\n", StringComparison.Ordinal);

        ToolDivergence? listed = ToolDivergences.For(command, ToolAspect.Errno);
        Assert.True(listed is null ? real == ours : real != ours, listed is null
            ? $"{command}: Linux 6.1 answers {real}, the emulated kernel {ours}, and no divergence lists it"
            : $"{command}: the emulated kernel answers as Linux now ({real}); {listed.Id} no longer holds: remove it from the table");
    }

    private string RealErrno(string request)
    {
        string quoted = "'" + request.Replace("'", "'\\''", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";
        // busybox's echo reports a failed write (its printf does not): "sh: write error: Invalid argument".
        var (code, _, error) = guest.Guest("run", $"echo -ne {quoted} > /sys/kernel/dlpar");
        if (code == 0)
        {
            return "0";
        }

        string message = error.Trim().Split(':')[^1].Trim();
        return Messages.TryGetValue(message, out string? name) ? name : "unknown: " + error.Trim();
    }

    private static string EmulatedErrno(string request)
    {
        // Linux 6.1 on QEMU after CAS, as the guest: memory and cpu in /sys/kernel/dlpar, a memory probe file, no cpu probe.
        var features = new KernelFeatures(new KernelDlparCapabilities(true, true, true, false), CpuProbe: false, MemoryProbe: true);
        EmulatedPartition partition = EmulatedPartition.Create(new MachineProfile(), features);
        partition.Kernel.TakeInterrupts();
        try
        {
            partition.Kernel.WriteDlpar(request);
            return "0";
        }
        catch (KernelException failure)
        {
            return failure.Errno.ToString();
        }
    }
}
