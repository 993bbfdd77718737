using DlparAgent.Core.Engine;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// A long memory operation dies at a random RTAS call — no rollback runs, as when the process is
/// killed — and the next engine finds the operation in the on-disk journal and settles it.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _journalPath = Path.Combine(Path.GetTempPath(), "dlpar-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        File.Delete(_journalPath);
    }

    [Theory]
    [InlineData("-", "memory add count 16", "")]
    [InlineData("-", "memory remove count 12", "memory add count 16")]
    [InlineData("-", "cpu add count 3", "")]
    [InlineData("-", "cpu remove count 2", "cpu add count 3")]
    [InlineData("memory,cpu,dt", "memory add count 16", "")]
    public void An_operation_killed_at_any_step_is_recovered(string kernel, string request, string setup)
    {
        var random = new Random(request.Length * 31 + kernel.Length);
        for (int trial = 0; trial < 12; trial++)
        {
            File.Delete(_journalPath);
            var h = new EngineHarness(kernel, p => p with { BootCpus = 1 }, new FileJournal(_journalPath));
            h.Assign(cores: 3, memory: 4 * MachineProfile.GiB);
            if (setup.Length > 0)
            {
                Assert.True(h.Run(setup).Complete);
            }

            int crashAt = 1 + random.Next(kernel == "-" ? 120 : 6);
            var dying = new DyingFirmware(h.Partition.Platform, crashAt);
            h.Firmware = dying.Firmware;
            try
            {
                h.Run(request);
            }
            catch (SimulatedCrashException)
            {
            }

            // A new process: the same firmware and kernel state, the journal from disk.
            h.Firmware = h.Partition.Platform;
            var restarted = new EngineHarness(kernel, null, new FileJournal(_journalPath));
            DlparEngine engine = new(h.Partition.Platform, h.Partition.Kernel, restarted.Journal, new EngineOptions { Sleep = _ => { } });
            IReadOnlyList<string> report = engine.Recover();

            h.AssertConsistent($"{request} killed at call {crashAt} ({(dying.Crashed ? "crashed" : "finished")}); recovery: {string.Join("; ", report)}",
                restarted.Journal);
            Assert.Equal(dying.Crashed, report.Count > 0);
        }
    }

    [Theory]
    [InlineData("memory add count 600", "", 4)]
    [InlineData("memory remove count 500", "memory add count 600", 4)]
    public void A_long_operation_killed_mid_group_keeps_what_it_finished(string request, string setup, int trials)
    {
        var random = new Random(request.Length);
        EngineHarness Prepared()
        {
            File.Delete(_journalPath);
            var h = new EngineHarness("-", p => p with { BootCpus = 1, MaxMemory = 256 * MachineProfile.GiB }, new FileJournal(_journalPath));
            h.Assign(memory: 160 * MachineProfile.GiB);
            if (setup.Length > 0)
            {
                Assert.True(h.Run(setup).Complete);
            }

            return h;
        }

        // The whole operation's firmware calls, so that each crash falls in its second or third quarter.
        var counted = Prepared();
        var counter = new DyingFirmware(counted.Partition.Platform, int.MaxValue);
        counted.Firmware = counter.Firmware;
        Assert.True(counted.Run(request).Complete);
        for (int trial = 0; trial < trials; trial++)
        {
            var h = Prepared();
            HashSet<uint> before = Configured(h);
            var dying = new DyingFirmware(h.Partition.Platform, counter.Calls / 4 + random.Next(counter.Calls / 2));
            h.Firmware = dying.Firmware;
            Assert.Throws<SimulatedCrashException>(() => h.Run(request));
            HashSet<uint> crashed = Configured(h);
            HashSet<uint> changed = [.. crashed.Except(before).Concat(before.Except(crashed))];

            // Only a group's intent reached the disk: the records of most finished connectors did not.
            string[] onDisk = File.ReadAllLines(_journalPath);
            Assert.True(onDisk.Count(l => l.StartsWith("settled ", StringComparison.Ordinal)) < changed.Count,
                $"{changed.Count} connectors changed, journal: {onDisk.Length} lines");
            Assert.Contains(onDisk, l => l.StartsWith("horizon ", StringComparison.Ordinal));

            h.Firmware = h.Partition.Platform;
            var restarted = new FileJournal(_journalPath);
            DlparEngine engine = new(h.Partition.Platform, h.Partition.Kernel, restarted, new EngineOptions { Sleep = _ => { } });
            IReadOnlyList<string> report = engine.Recover();

            h.AssertConsistent($"{request} killed at call {dying.CrashAt}; recovery: {report.Count} lines", restarted);
            HashSet<uint> after = Configured(h);
            int kept = after.Except(before).Count() + before.Except(after).Count();
            Assert.True(kept >= changed.Count - 1, $"recovery undid finished work: {changed.Count} connectors had changed, {kept} stayed changed");
            Assert.Contains(report, line => line.EndsWith(": recovered", StringComparison.Ordinal));
        }
    }

    /// <summary>The LMBs the firmware gives the partition (the LMB table lags until the operation or recovery writes it).</summary>
    private static HashSet<uint> Configured(EngineHarness h) =>
        [.. h.Partition.Platform.State.Connectors.Where(d => d.Kind == DrcKind.Lmb && d.State == DrcState.LogicalConfigured).Select(d => d.Index)];

    /// <summary>Firmware that kills the caller at its Nth call.</summary>
    private sealed class DyingFirmware
    {
        public DyingFirmware(IRtas inner, int crashAt)
        {
            CrashAt = crashAt;
            Firmware = new CallbackFirmware(inner, call =>
            {
                if (call == crashAt)
                {
                    Crashed = true;
                    throw new SimulatedCrashException();
                }
            });
        }

        public CallbackFirmware Firmware { get; }

        public int CrashAt { get; }

        public int Calls => Firmware.Calls;

        public bool Crashed { get; private set; }
    }
}
