namespace DlparAgent.Cli.Tests;

/// <summary>
/// drmgr, lsslot, dlpar list/show and doctor as processes with <c>--platform guest:DIR</c>: the real
/// Linux backend against Debian's 6.1 kernel under QEMU, the HMC's side played by
/// <c>dlpar platform guest plug</c>.
/// </summary>
[Collection("real guest")]
public sealed class GuestPlatformTests(GuestPlatformFixture guest) : IClassFixture<GuestPlatformFixture>
{
    [GuestCliFact]
    public void Drmgr_reports_the_capabilities_the_real_kernel_offers()
    {
        var (code, output, _) = guest.Dlpar("drmgr", "-C");

        Assert.Equal(0, code);
        Assert.StartsWith("cpu_dlpar=yes,mem_dlpar=yes,slot_dlpar=yes,phb_dlpar=yes", output, StringComparison.Ordinal);
    }

    [GuestCliFact]
    public void Every_guest_commands_schema_matches_its_snapshot()
    {
        _ = guest.Directory;
        var documents = new List<(string, string)> { ("platform guest start", guest.StartDocument) };
        void Json(params string[] words)
        {
            var (code, output, error) = guest.Guest([.. words, "--json"]);
            Assert.True(code == 0, $"{string.Join(' ', words)}: {code} {error}");
            documents.Add(("platform guest " + string.Join(' ', words), output));
        }

        var build = ProcessRunner.Run(ProcessRunner.Binary, new Dictionary<string, string>(), "platform", "guest", "build", "--json");
        Assert.Equal(0, build.ExitCode);
        documents.Add(("platform guest build", build.Out));
        Json("plug", "memory", "--size", "256M");
        Json("status");
        Json("run", "uname", "-r");
        Json("plug", "pci", "--slot", "12");
        Json("unplug", documents[^1].Item2.Split('"')[^2]);
        documents[^1] = ("platform guest unplug ID", documents[^1].Item2);
        documents.Add(("dlpar --platform guest doctor", guest.Dlpar("doctor", "--json").Out));
        string stopped = Directory.CreateTempSubdirectory("dlpar-guest-none-").FullName;
        try
        {
            var stop = ProcessRunner.Run(ProcessRunner.Binary, new Dictionary<string, string>(), "platform", "guest", "stop", "--dir", stopped, "--json");
            documents.Add(("platform guest stop", stop.Out));
        }
        finally
        {
            Directory.Delete(stopped, recursive: true);
        }

        SchemaSnapshot.Matches("json-schemas-guest.txt", documents);
    }

    [GuestCliFact]
    public void Doctor_says_every_kind_of_dlpar_works_on_the_guest()
    {
        var (code, output, _) = guest.Dlpar("doctor");

        Assert.Equal(0, code);
        Assert.Contains("architecture  linux-ppc64le", output, StringComparison.Ordinal);
        Assert.Contains("io DLPAR      works: configure-connector and ofdt", output, StringComparison.Ordinal);
    }

    [GuestCliFact]
    public void Memory_nobody_unplugged_is_not_reported_removed_and_the_hmcs_later_unplug_completes()
    {
        int before = LmbsListed();
        var (plugged, dimm, _) = guest.Guest("plug", "memory", "--size", "512M");
        Assert.Equal(0, plugged);
        WaitFor(() => LmbsListed() == before + 2);

        // Linux 6.1 removes the LMB and ignores QEMU's refusal to isolate it (no unplug was
        // requested); the real drmgr then reports it removed. Ours senses it, and reports 0.
        var (code, output, error) = guest.Dlpar("drmgr", "-c", "mem", "-r", "-q", "1", "-d", "4");

        Assert.Equal((0, "DR_TOTAL_RESOURCES=0\n"), (code, output));
        Assert.Contains("the platform would not take it back", error, StringComparison.Ordinal);
        Assert.Equal(before + 1, LmbsListed());

        // The HMC's unplug: the kernel removes the LMB it still uses; the next memory operation
        // gives back the one the platform kept, and QEMU deletes the DIMM.
        Assert.Equal(0, guest.Guest("unplug", dimm.Trim()).ExitCode);
        WaitFor(() => LmbsListed() == before);
        Assert.Equal((0, "DR_TOTAL_RESOURCES=0\n"), Pick(guest.Dlpar("drmgr", "-c", "mem", "-r", "-q", "1")));
        WaitFor(() => !DimmIds().Contains(dimm.Trim()));
    }

    [GuestCliFact]
    public void With_the_kernel_path_withheld_a_memory_removal_is_refused_before_anything_changes()
    {
        int before = LmbsListed();
        Assert.Equal(0, guest.Guest("plug", "memory", "--size", "256M").ExitCode);
        WaitFor(() => LmbsListed() == before + 1);
        string online = guest.Guest("run", "grep -l online /sys/devices/system/memory/memory*/state").Out;

        // Linux 6.1 keeps its own LMB table: a removal behind it would leave the memory's sections in
        // the kernel while the firmware takes the LMB back (seen before this refusal existed).
        var userspace = new Dictionary<string, string> { ["DLPAR_KERNEL_DLPAR"] = "none" };
        var (code, output, error) = guest.Dlpar(userspace, "drmgr", "-c", "mem", "-r", "-q", "1");

        Assert.Equal((255, "DR_TOTAL_RESOURCES=0\n"), (code, output));
        Assert.Contains("keeps its own LMB table", error, StringComparison.Ordinal);
        Assert.Equal(before + 1, LmbsListed());
        Assert.Equal(online, guest.Guest("run", "grep -l online /sys/devices/system/memory/memory*/state").Out);
    }

    [GuestCliFact]
    public void Drmgr_removes_and_adds_a_cpu_by_count_through_the_kernel()
    {
        Assert.Equal(0, guest.Guest("plug", "cpu", "--core-id", "5").ExitCode);
        WaitFor(() => CpuOwned(5));

        var (removed, output, _) = guest.Dlpar("drmgr", "-c", "cpu", "-r", "-q", "1");
        Assert.Equal(0, removed);
        Assert.Matches(@"^CPU \d+\n$", output);
        var (added, addedOutput, _) = guest.Dlpar("drmgr", "-c", "cpu", "-a", "-q", "1");
        Assert.Equal(0, added);
        Assert.Matches(@"^CPU \d+\n$", addedOutput);
    }

    [GuestCliFact]
    public void A_cpu_core_is_removed_and_added_again_through_the_probe_files_with_the_kernel_path_off()
    {
        Assert.Equal(0, guest.Guest("plug", "cpu", "--core-id", "3").ExitCode);
        WaitFor(() => CpuOwned(3));
        var userspace = new Dictionary<string, string> { ["DLPAR_KERNEL_DLPAR"] = "none" };

        Assert.Equal((0, "CPU 3\n"), Pick(guest.Dlpar(userspace, "drmgr", "-c", "cpu", "-r", "-s", "CPU 3")));
        Assert.False(CpuOwned(3));
        Assert.Equal((0, "CPU 3\n"), Pick(guest.Dlpar(userspace, "drmgr", "-c", "cpu", "-a", "-s", "CPU 3")));
        Assert.True(CpuOwned(3));
        Assert.Contains("\"meaning\": \"present\"", guest.Dlpar("show", "CPU 3", "--json").Out, StringComparison.Ordinal);
    }

    [GuestCliFact]
    public void A_pci_card_is_configured_by_drmgr_after_the_hmc_plugs_it_and_removed_before_the_unplug()
    {
        var (plugged, device, _) = guest.Guest("plug", "pci", "--slot", "6");
        Assert.Equal(0, plugged);

        Assert.Equal(0, guest.Dlpar("drmgr", "-c", "pci", "-a", "-s", "C48", "-n").ExitCode);
        Assert.Contains("C48 ", guest.Dlpar("lsslot", "-c", "pci", "-o").Out, StringComparison.Ordinal);
        Assert.Contains("0000:00:06.0", guest.Guest("run", "ls /sys/bus/pci/devices").Out, StringComparison.Ordinal);

        Assert.Equal(0, guest.Dlpar("drmgr", "-c", "pci", "-r", "-s", "C48", "-n").ExitCode);
        Assert.DoesNotContain("C48 ", guest.Dlpar("lsslot", "-c", "pci", "-o").Out, StringComparison.Ordinal);
        Assert.Equal(0, guest.Guest("unplug", device.Trim()).ExitCode);
    }

    [GuestCliFact]
    public void Our_lsslot_waits_for_the_dr_lock_a_real_drmgr_holds_in_the_guest()
    {
        // The real drmgr 1.3.10 has no hooks; adding a card to an empty slot makes it hold the lock
        // while it polls for the card (about 25 s) before it gives up.
        Assert.Equal(0, guest.Guest("run", "(drmgr -c pci -a -s C40 -n >/tmp/held.out 2>&1 &); sleep 1").ExitCode);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (code, output, error) = guest.Dlpar("lsslot", "-c", "mem");

        Assert.Equal(0, code);
        Assert.StartsWith("Dynamic Reconfiguration Memory", output, StringComparison.Ordinal);
        Assert.Contains("Waiting for the Dynamic Reconfiguration lock /var/lock/dr_config_lock", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(5), $"lsslot ran after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("No PCI card was detected", guest.Guest("run", "cat /tmp/held.out").Out, StringComparison.Ordinal);
    }

    [GuestCliFact]
    public void A_phb_the_hmc_plugs_is_added_and_removed_by_drmgr()
    {
        // Its add_node command is about 9 KB: more than 4 KiB, less than the 64 KiB page of Debian's ppc64le kernel.
        Assert.Equal(0, guest.Guest("plug", "phb", "--index", "2").ExitCode);

        Assert.Equal(0, guest.Dlpar("drmgr", "-c", "phb", "-a", "-s", "PHB 2").ExitCode);
        Assert.Contains("PHB 2 ", guest.Dlpar("lsslot", "-c", "phb").Out, StringComparison.Ordinal);
        Assert.Contains("pci@800000020000002", guest.Guest("run", "ls /proc/device-tree").Out, StringComparison.Ordinal);

        Assert.Equal(0, guest.Dlpar("drmgr", "-c", "phb", "-r", "-s", "PHB 2").ExitCode);
        Assert.DoesNotContain("PHB 2 ", guest.Dlpar("lsslot", "-c", "phb").Out, StringComparison.Ordinal);
        Assert.DoesNotContain("pci@800000020000002", guest.Guest("run", "ls /proc/device-tree").Out, StringComparison.Ordinal);
    }

    [GuestCliFact]
    public void A_drmgr_killed_mid_add_is_settled_by_recover_and_the_kernel_agrees_with_the_agent()
    {
        Assert.Equal(0, guest.Guest("plug", "pci", "--slot", "9").ExitCode);
        using (System.Diagnostics.Process drmgr = ProcessRunner.Start(ProcessRunner.Binary, new Dictionary<string, string>(),
            "--platform", guest.Platform, "drmgr", "-c", "pci", "-a", "-s", "C72", "-n"))
        {
            Thread.Sleep(900);
            drmgr.Kill();
            drmgr.WaitForExit();
        }

        var (code, _, error) = guest.Dlpar("recover");
        Assert.True(code == 0, error);

        // What the killed drmgr held in the guest (the DR lock among it) went with the next connection: the real drmgr runs.
        Assert.Equal(0, guest.Guest("run", "drmgr -C").ExitCode);

        bool listed = guest.Dlpar("lsslot", "-c", "pci", "-o").Out.Contains("C72 ", StringComparison.Ordinal);
        bool probed = guest.Guest("run", "ls /sys/bus/pci/devices").Out.Contains("0000:00:09.0", StringComparison.Ordinal);
        Assert.Equal(listed, probed);

        // Not asserted yet: that the next drmgr on the slot always works. Once in CI it exited 255
        // after a kill at this point (recorded for the hardening issue's cancellation work).
    }

    private static (int, string) Pick((int ExitCode, string Out, string Error) result) => (result.ExitCode, result.Out);

    /// <summary>Whether the partition has the CPU (lsslot -c cpu refuses on QEMU: it is not an LPAR).</summary>
    private bool CpuOwned(int number) => guest.Dlpar("list", "cpu", "--owned").Out.Contains($"CPU {number} ", StringComparison.Ordinal);

    private List<string> DimmIds()
    {
        using var status = System.Text.Json.JsonDocument.Parse(guest.Guest("status", "--json").Out);
        return [.. status.RootElement.GetProperty("dimms").EnumerateArray().Select(d => d.GetProperty("id").GetString()!)];
    }

    private int LmbsListed() => guest.Dlpar("lsslot", "-c", "mem").Out.Split('\n').Count(l => l.Contains("DRC Index:", StringComparison.Ordinal));

    private static void WaitFor(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the guest's kernel did not react within 60 s");
            Thread.Sleep(500);
        }
    }
}
