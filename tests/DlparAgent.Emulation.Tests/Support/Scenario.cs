using System.Globalization;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Management;

namespace DlparAgent.Emulation.Tests.Support;

/// <summary>
/// Runs a conformance script against an emulated platform. A line is a step, optionally with
/// <c>=&gt; expected</c>: RTAS console calls (<c>get-sensor-state 9003 0x10000000</c>),
/// management (<c>plug cpu 2</c>, <c>plug memory 1G</c>, <c>plug pci 0 2 [fn]</c>, <c>plug phb 1</c>,
/// <c>unplug ID</c>, <c>reset</c>, <c>cas v2|v1|nohp|none</c>, <c>powerdown</c>), and observations
/// (<c>queue</c>, <c>pulses IRQ</c>, <c>state IDX</c>, <c>device ID</c>, <c>cc-loop IDX</c>, <c>cc-nodes IDX</c>,
/// <c>event N</c>, <c>notified TEXT</c>). Management refusals answer <c>refused: message</c>.
/// </summary>
internal sealed class Scenario
{
    private readonly RtasConsole _console;

    public Scenario(EmulatedPlatform platform)
    {
        Platform = platform;
        _console = new RtasConsole(platform);
    }

    public EmulatedPlatform Platform { get; }

    /// <summary>Names the case in failure messages, e.g. its conformance id.</summary>
    public string Label { get; set; } = "scenario";

    public MachineState Machine => Platform.State;

    /// <summary>Fixture F of papr-platform.md §7: 4 GiB, maxmem 8 GiB, 2 of 4 cores (SMT1), PHB 0, modern CAS with v2.</summary>
    public static Scenario FixtureF(Func<MachineProfile, MachineProfile>? adjust = null)
    {
        var profile = new MachineProfile { BootCpus = 2, MaxCpus = 4, Threads = 1, Memory = 4 * MachineProfile.GiB, MaxMemory = 8 * MachineProfile.GiB };
        return new Scenario(EmulatedPlatform.Create(adjust is null ? profile : adjust(profile), FixedClock.Default));
    }

    public void Run(params string[] lines)
    {
        foreach (string line in lines)
        {
            int arrow = line.IndexOf("=>", StringComparison.Ordinal);
            string step = (arrow >= 0 ? line[..arrow] : line).Trim();
            string actual = Execute(step);
            if (arrow >= 0)
            {
                string expected = line[(arrow + 2)..].Trim();
                Assert.True(expected == actual, $"{Label}, step '{step}': expected '{expected}' but got '{actual}'");
            }
            else
            {
                Assert.False(actual.StartsWith("refused:", StringComparison.Ordinal) || actual.StartsWith("error:", StringComparison.Ordinal),
                    $"{Label}, step '{step}' failed: {actual}");
            }
        }
    }

    public string Execute(string step)
    {
        string[] w = step.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return w[0] switch
            {
                "plug" => Plug(w),
                "unplug" => Do(() => Platform.Management.Unplug(w[1])),
                "reclaim" => Do(() => Platform.Management.Reclaim(w[1])),
                "reset" => Do(Platform.Management.Reset),
                "powerdown" => Do(Platform.Management.Powerdown),
                "cas" => Do(() => Platform.Management.ClientArchitectureSupport(w[1] switch
                {
                    "v2" => Ov5.DrconfMemory | Ov5.HotplugEvents | Ov5.DrmemV2,
                    "v1" => Ov5.DrconfMemory | Ov5.HotplugEvents,
                    "nohp" => Ov5.DrconfMemory | Ov5.DrmemV2,
                    "drcinfo" => Ov5.DrconfMemory | Ov5.HotplugEvents | Ov5.DrmemV2 | Ov5.DrcInfo,
                    _ => Ov5.None,
                })),
                "queue" => Machine.Events.Count.ToString(CultureInfo.InvariantCulture),
                "pulses" => Machine.IrqPulses.GetValueOrDefault(Number(w[1])).ToString(CultureInfo.InvariantCulture),
                "state" => Machine.FindDrc(Number(w[1])) is { } drc ? ((int)drc.State).ToString(CultureInfo.InvariantCulture) : "none",
                "device" => Machine.FindDevice(w[1]) is null ? "absent" : "present",
                "unplug-requested" => Machine.FindDrc(Number(w[1]))!.UnplugRequested ? "yes" : "no",
                "notified" => Machine.Notifications.Contains(string.Join(' ', w[1..])) ? "yes" : "no",
                "event" => DescribeEvent(int.Parse(w[1], CultureInfo.InvariantCulture)),
                "cc-loop" => ConfigureLoop(Number(w[1]), names: false),
                "cc-nodes" => ConfigureLoop(Number(w[1]), names: true),
                _ => _console.Execute(step) ?? string.Empty,
            };
        }
        catch (PlatformException error)
        {
            return $"refused: {error.Message}";
        }
    }

    /// <summary>An event still queued: "type action id-type value[ index]" from its HP section, or "epow".</summary>
    private string DescribeEvent(int position)
    {
        RtasEventLog log = RtasEventLog.Read(Machine.Events[position].Log);
        if (log.FindSection<HotplugSection>() is not { } hp)
        {
            return "epow";
        }

        HotplugIdentifier id = hp.Identifier;
        string target = id.Type switch
        {
            HotplugIdentifierType.Index => $"index 0x{id.Index:x8}",
            HotplugIdentifierType.Count => $"count {id.Count}",
            _ => $"count-indexed {id.Count} 0x{id.Index:x8}",
        };
        return $"{hp.Resource.ToString().ToLowerInvariant()} {hp.Action.ToString().ToLowerInvariant()} {target}";
    }

    /// <summary>Runs configure-connector to completion: statuses (runs of 3 folded to "3*"), or the node names entered.</summary>
    private string ConfigureLoop(uint index, bool names)
    {
        byte[] workArea = new byte[ConfigureConnectorWorkArea.Size];
        ConfigureConnectorWorkArea.Initialize(workArea, index);
        var statuses = new List<string>();
        var nodes = new List<string>();
        for (int calls = 0; calls < 10_000; calls++)
        {
            RtasStatus status = Platform.ConfigureConnector(workArea, []);
            string text = status.Value.ToString(CultureInfo.InvariantCulture);
            if (!(text == "3" && statuses.Count > 0 && statuses[^1] == "3*"))
            {
                statuses.Add(text == "3" ? "3*" : text);
            }

            if (status.Value is 1 or 2)
            {
                nodes.Add(ConfigureConnectorWorkArea.ReadStep(workArea, status.Value).Name!);
            }

            if (status.Value is not (1 or 2 or 3 or 4))
            {
                break;
            }
        }

        return names ? string.Join(' ', nodes) : string.Join(' ', statuses);
    }

    private string Plug(string[] w)
    {
        PlatformManager m = Platform.Management;
        string id = w[1] switch
        {
            "cpu" => m.PlugCpu(int.Parse(w[2], CultureInfo.InvariantCulture)),
            "memory" => m.PlugMemory(Size(w[2]), w.Length > 3 ? int.Parse(w[3], CultureInfo.InvariantCulture) : 0),
            "phb" => m.PlugPhb(int.Parse(w[2], CultureInfo.InvariantCulture)),
            "pci" => m.PlugPci(int.Parse(w[2], CultureInfo.InvariantCulture), int.Parse(w[3], CultureInfo.InvariantCulture), w.Length > 4 ? int.Parse(w[4],
                CultureInfo.InvariantCulture) : 0),
            "pmem" => m.PlugPmem(int.Parse(w[2], CultureInfo.InvariantCulture)),
            "assign-memory" => m.PlugMemory(Size(w[2]), 0, null, DeviceOrigin.Assigned),
            "assign-cpu" => m.PlugCpu(int.Parse(w[2], CultureInfo.InvariantCulture), null, DeviceOrigin.Assigned),
            _ => throw new ArgumentException($"unknown plug {w[1]}"),
        };
        return id;
    }

    private static string Do(Action action)
    {
        action();
        return "ok";
    }

    private static ulong Size(string text) => MachineProfile.TryParseSize(text, out ulong size) ? size : throw new ArgumentException(text);

    private static uint Number(string text) => CNumber.TryParseU32(text, out uint value) ? value : throw new ArgumentException(text);
}
