using System.Globalization;
using System.Text.Json;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// Memory and CPU adds against the real 6.1 kernel: QEMU lends a DIMM or core, the kernel leaves it
/// (its hotplug interrupt is off, as on PowerVM) and drmgr acquires it. Memory goes through
/// /sys/kernel/dlpar (the agent's userspace path is refused: this kernel keeps its own LMB table);
/// each memory removal follows the HMC's unplug request, so QEMU takes the LMBs back and deletes the DIMM.
/// </summary>
[Collection("real guest")]
public sealed class HmcDrivenGuestTests(HmcDrivenGuestFixture guest) : IClassFixture<HmcDrivenGuestFixture>
{
    private static readonly Dictionary<string, string> Userspace = new() { ["DLPAR_KERNEL_DLPAR"] = "none" };

    [GuestCliFact]
    public void Memory_the_hmc_plugs_waits_for_drmgr_which_adds_and_removes_it_through_the_kernel()
    {
        (string dimm, uint first) = PlugDimm();
        Assert.Equal([false, false], BlocksOnline(first, 2));

        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), Pick(guest.Dlpar("drmgr", "-c", "mem", "-a", "-q", "2")));
        Assert.Equal([true, true], BlocksOnline(first, 2));
        Assert.Equal([first, first + 1], RealLsslotIndexes());

        Assert.Equal(0, guest.Guest("unplug", dimm).ExitCode);
        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), Pick(guest.Dlpar("drmgr", "-c", "mem", "-r", "-q", "2")));
        Assert.Empty(RealLsslotIndexes());
        WaitFor(() => !DimmIds().Contains(dimm), "QEMU did not delete the DIMM");
    }

    [GuestCliFact]
    public void With_the_kernel_path_withheld_memory_is_refused_both_ways_and_the_kernel_path_then_works()
    {
        (string dimm, uint first) = PlugDimm();
        string index = "0x" + first.ToString("x", CultureInfo.InvariantCulture);

        // Memory added behind Linux 6.1's own LMB table could never be removed by it (seen before the refusal existed).
        var (code, output, error) = guest.Dlpar(Userspace, "drmgr", "-c", "mem", "-a", "-s", index);
        Assert.Equal((255, "DR_TOTAL_RESOURCES=0\n"), (code, output));
        Assert.Contains("keeps its own LMB table", error, StringComparison.Ordinal);
        Assert.Equal([false, false], BlocksOnline(first, 2));

        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), Pick(guest.Dlpar("drmgr", "-c", "mem", "-a", "-q", "2")));
        Assert.Equal(0, guest.Guest("unplug", dimm).ExitCode);
        Assert.Equal(255, guest.Dlpar(Userspace, "drmgr", "-c", "mem", "-r", "-q", "2").ExitCode);
        Assert.Equal([true, true], BlocksOnline(first, 2));

        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), Pick(guest.Dlpar("drmgr", "-c", "mem", "-r", "-q", "2")));
        WaitFor(() => !DimmIds().Contains(dimm), "QEMU did not delete the DIMM");
    }

    [GuestCliFact]
    public void Memory_the_real_drmgr_added_is_removed_by_ours_one_lmb_at_a_time()
    {
        (string dimm, uint first) = PlugDimm();
        var (code, output, _) = guest.Guest("run", "drmgr -c mem -a -q 2");
        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), (code, output));

        Assert.Equal(0, guest.Guest("unplug", dimm).ExitCode);
        foreach (uint index in new[] { first + 1, first })
        {
            string name = "0x" + index.ToString("x", CultureInfo.InvariantCulture);
            Assert.Equal((0, "DR_TOTAL_RESOURCES=1\n"), Pick(guest.Dlpar("drmgr", "-c", "mem", "-r", "-s", name)));
        }

        Assert.Equal([false, false], BlocksOnline(first, 2));
        WaitFor(() => !DimmIds().Contains(dimm), "QEMU did not delete the DIMM");
    }

    [GuestCliFact]
    public void A_removal_by_count_beyond_what_is_removable_keeps_what_went_as_the_real_drmgr_does()
    {
        (string ours, _) = PlugDimm();
        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), Pick(guest.Dlpar("drmgr", "-c", "mem", "-a", "-q", "2")));
        Assert.Equal(0, guest.Guest("unplug", ours).ExitCode);
        var agent = guest.Dlpar("drmgr", "-c", "mem", "-r", "-q", "4");
        WaitFor(() => !DimmIds().Contains(ours), "QEMU did not delete the DIMM our drmgr emptied");

        (string theirs, _) = PlugDimm();
        Assert.Equal(0, guest.Guest("run", "drmgr -c mem -a -q 2").ExitCode);
        Assert.Equal(0, guest.Guest("unplug", theirs).ExitCode);
        var real = guest.Guest("run", "drmgr -c mem -r -q 4");
        WaitFor(() => !DimmIds().Contains(theirs), "QEMU did not delete the DIMM the real drmgr emptied");

        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), Pick(real));
        Assert.Equal(real, agent);
    }

    [GuestCliFact]
    public void A_cpu_removal_beyond_the_last_cpu_is_compared_with_the_real_drmgrs()
    {
        Assert.Equal(0, guest.Guest("plug", "cpu", "--core-id", "4").ExitCode);
        Assert.Equal((0, "CPU 4\n"), Pick(guest.Dlpar("drmgr", "-c", "cpu", "-a", "-s", "CPU 4")));
        var real = guest.Guest("run", "drmgr -c cpu -r -q 2");
        string afterReal = OnlineCpus();

        // drmgr 1.3.10 removes one, cannot remove the last, keeps the one it removed and exits 255.
        Assert.Equal(255, real.ExitCode);
        string removed = Assert.Single(real.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal((0, removed + "\n"), Pick(guest.Dlpar("drmgr", "-c", "cpu", "-a", "-s", removed)));
        var ours = guest.Dlpar("drmgr", "-c", "cpu", "-r", "-q", "2");

        // Both remove one of the two, print it, keep the last CPU and exit 255.
        Assert.Equal(real.ExitCode, ours.ExitCode);
        Assert.Equal(afterReal.Length, OnlineCpus().Length);
        if (RealTools.ToolDivergences.For(RealTools.ToolDivergences.TwoCpusRemoveTwo, RealTools.ToolAspect.Stdout) is null)
        {
            Assert.True(Pick(real) == Pick(ours), $"real: {real}\nours: {ours}");
        }
        else
        {
            // The kept divergence: ours takes the highest connector and keeps the boot CPU.
            Assert.True(Pick(real) != Pick(ours), $"DT6 no longer holds: remove it from the table\nreal: {real}\nours: {ours}");
            Assert.Equal((255, "CPU 4\n"), Pick(ours));
            Assert.True(CpuOwned(0), "ours removed the boot CPU");
        }
    }

    [GuestCliFact]
    public void A_core_the_hmc_plugs_waits_for_drmgr_which_adds_it_and_gives_it_back()
    {
        Assert.Equal(0, guest.Guest("plug", "cpu", "--core-id", "3").ExitCode);
        Assert.Equal(("0", false), (OnlineCpus(), CpuOwned(3)));

        Assert.Equal((0, "CPU 3\n"), Pick(guest.Dlpar("drmgr", "-c", "cpu", "-a", "-s", "CPU 3")));
        Assert.Equal(("0-1", true), (OnlineCpus(), CpuOwned(3)));

        // Released without an unplug request: QEMU keeps the core. (No device_del here: QEMU 7.2
        // under TCG then crashes at the next DIMM plug, in tlb_flush over the freed vCPU.)
        Assert.Equal((0, "CPU 3\n"), Pick(guest.Dlpar("drmgr", "-c", "cpu", "-r", "-s", "CPU 3")));
        Assert.Equal(("0", false), (OnlineCpus(), CpuOwned(3)));
    }

    private static (int, string) Pick((int ExitCode, string Out, string Error) result) => (result.ExitCode, result.Out);

    /// <summary>Plugs a 512 MiB DIMM (two LMBs) and returns its id and the DRC index of its first LMB.</summary>
    private (string Id, uint FirstLmb) PlugDimm()
    {
        var (code, output, error) = guest.Guest("plug", "memory", "--size", "512M");
        Assert.True(code == 0, error);
        string id = output.Trim();
        JsonElement dimm = Dimms().Single(d => d.GetProperty("id").GetString() == id);
        return (id, uint.Parse(dimm.GetProperty("firstLmb").GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    private List<JsonElement> Dimms()
    {
        var (code, output, error) = guest.Guest("status", "--json");
        Assert.True(code == 0, error);
        using JsonDocument status = JsonDocument.Parse(output);
        return [.. status.RootElement.GetProperty("dimms").EnumerateArray().Select(d => d.Clone())];
    }

    private List<string> DimmIds() => [.. Dimms().Select(d => d.GetProperty("id").GetString()!)];

    /// <summary>Whether the kernel's memory blocks of <paramref name="count"/> LMBs from <paramref name="first"/> are online (256 MiB blocks).</summary>
    private bool[] BlocksOnline(uint first, int count)
    {
        string script = string.Join("; ", Enumerable.Range((int)(first & 0xffff), count)
            .Select(b => $"cat /sys/devices/system/memory/memory{b}/state 2>/dev/null || echo absent"));
        return [.. guest.Guest("run", script).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => s == "online")];
    }

    /// <summary>The LMBs the real lsslot lists: the partition's hot-plugged memory as the device tree says.</summary>
    private uint[] RealLsslotIndexes() =>
        [.. guest.Guest("run", "lsslot -c mem").Out.Split('\n')
            .Where(l => l.Contains("DRC Index:", StringComparison.Ordinal))
            .Select(l => uint.Parse(l.Split(':')[1].Trim().Split(' ')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture))];

    /// <summary>Whether the partition has the CPU (lsslot -c cpu refuses on QEMU: it is not an LPAR).</summary>
    private bool CpuOwned(int number) => guest.Dlpar("list", "cpu", "--owned").Out.Contains($"CPU {number} ", StringComparison.Ordinal);

    private string OnlineCpus() => guest.Guest("run", "cat /sys/devices/system/cpu/online").Out.Trim();

    private static void WaitFor(Func<bool> condition, string failure)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            Thread.Sleep(500);
        }
    }
}
