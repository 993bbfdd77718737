using System.Globalization;
using System.Text.Json.Nodes;

namespace DlparAgent.Qemu;

/// <summary>
/// What a management stack does to the pseries machine over QMP: DIMMs (a RAM backend plus a
/// <c>pc-dimm</c>), CPU cores (the type <c>query-hotpluggable-cpus</c> names), PCI functions
/// (with an empty <c>romfile</c>, since Debian's ipxe ROMs are only recommended), PHBs, removal,
/// reset, and the device tree as QEMU built it.
/// </summary>
public sealed class QemuManagement
{
    private readonly QmpClient _qmp;
    private int _nextId;

    public QemuManagement(QmpClient qmp) => _qmp = qmp;

    /// <summary>Hot-adds a DIMM of <paramref name="size"/> bytes on NUMA node <paramref name="node"/>; returns its device id.</summary>
    public string AddMemory(ulong size, int node = 0, string? id = null)
    {
        id ??= NewId("dimm");
        _qmp.Execute("object-add", new JsonObject
        {
            ["qom-type"] = "memory-backend-ram",
            ["id"] = "mem-" + id,
            ["size"] = size,
        });
        try
        {
            _qmp.Execute("device_add", new JsonObject
            {
                ["driver"] = "pc-dimm",
                ["id"] = id,
                ["memdev"] = "mem-" + id,
                ["node"] = node,
            });
        }
        catch (QemuException)
        {
            _qmp.Execute("object-del", new JsonObject { ["id"] = "mem-" + id });
            throw;
        }

        return id;
    }

    /// <summary>Hot-adds the CPU core with QEMU core id <paramref name="coreId"/> (the vCPU id of its first thread).</summary>
    public string AddCpuCore(int coreId, string? id = null)
    {
        id ??= NewId("core");
        string type = CpuCoreType(coreId);
        _qmp.Execute("device_add", new JsonObject
        {
            ["driver"] = type,
            ["id"] = id,
            ["core-id"] = coreId,
        });
        return id;
    }

    /// <summary>Hot-adds a PCI function on PHB <paramref name="phb"/> (its root bus), slot and function.</summary>
    public string AddPci(int phb, int slot, int function = 0, string model = "e1000", string? id = null, bool multifunction = false)
    {
        id ??= NewId("pci");
        var arguments = new JsonObject
        {
            ["driver"] = model,
            ["id"] = id,
            ["bus"] = phb == 0 ? "pci.0" : string.Create(CultureInfo.InvariantCulture, $"phb{phb}.0"),
            ["addr"] = string.Create(CultureInfo.InvariantCulture, $"{slot:x}.{function}"),
            ["romfile"] = string.Empty,
        };
        if (multifunction)
        {
            arguments["multifunction"] = "on";
        }

        _qmp.Execute("device_add", arguments);
        return id;
    }

    /// <summary>Hot-adds PHB <paramref name="index"/>; its root bus is <c>phb&lt;index&gt;.0</c> when the id is left to us.</summary>
    public string AddPhb(int index, string? id = null)
    {
        id ??= string.Create(CultureInfo.InvariantCulture, $"phb{index}");
        _qmp.Execute("device_add", new JsonObject
        {
            ["driver"] = "spapr-pci-host-bridge",
            ["id"] = id,
            ["index"] = index,
        });
        return id;
    }

    /// <summary>Requests removal (QMP <c>device_del</c>); the device goes when the guest releases it (<c>DEVICE_DELETED</c>).</summary>
    public void Remove(string id) => _qmp.Execute("device_del", new JsonObject { ["id"] = id });

    /// <summary>Deletes a DIMM's RAM backend once the DIMM is gone.</summary>
    public void RemoveMemoryBackend(string dimmId) => _qmp.Execute("object-del", new JsonObject { ["id"] = "mem-" + dimmId });

    /// <summary>
    /// Pauses the vCPUs (QMP <c>stop</c>). After CAS the client only spins; paused, it costs no host
    /// core and cannot hold up QEMU's RCU-deferred work such as finishing a PCI device's deletion.
    /// qtest and QMP keep working, as they do under <c>-S</c>.
    /// </summary>
    public void Pause() => _qmp.Execute("stop");

    /// <summary>Machine reset (<c>system_reset</c>).</summary>
    public void Reset() => _qmp.Execute("system_reset");

    /// <summary>Powerdown request (<c>system_powerdown</c>): an EPOW event for the guest.</summary>
    public void Powerdown() => _qmp.Execute("system_powerdown");

    /// <summary>The flattened device tree QEMU built at reset or at CAS (QMP <c>dumpdtb</c>).</summary>
    public byte[] DumpDeviceTree()
    {
        string file = Path.Combine(Path.GetTempPath(), $"dlpar-qemu-{Environment.ProcessId}-{Guid.NewGuid():N}.dtb");
        try
        {
            _qmp.Execute("dumpdtb", new JsonObject { ["filename"] = file });
            return File.ReadAllBytes(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The run state (<c>prelaunch</c> under <c>-S</c>, <c>running</c> with a CAS client).</summary>
    public string RunState() => (string?)_qmp.Execute("query-status")?["status"] ?? "unknown";

    /// <summary>Device ids of the DIMMs QEMU has (<c>query-memory-devices</c>).</summary>
    public IReadOnlyList<string> MemoryDevices() => [.. Dimms().Select(d => d.Id)];

    /// <summary>The DIMMs QEMU has, with where they sit in guest memory (<c>query-memory-devices</c>).</summary>
    public IReadOnlyList<QemuDimm> Dimms() =>
        [.. (_qmp.Execute("query-memory-devices") as JsonArray ?? [])
            .Select(d => d?["data"])
            .Where(data => (string?)data?["id"] is not null)
            .Select(data => new QemuDimm((string)data!["id"]!, (ulong?)data["addr"] ?? 0, (ulong?)data["size"] ?? 0))];

    /// <summary>The QOM path of a plugged core (cores QEMU creates at boot have no id; <c>device_del</c> takes the path).</summary>
    public string? CpuCorePath(int coreId) => (string?)CpuSlot(coreId)?["qom-path"];

    private string CpuCoreType(int coreId) =>
        CpuSlot(coreId) is { } slot
            ? (string?)slot["type"] ?? throw new QemuException(QemuProblem.Protocol, "query-hotpluggable-cpus gave a slot without a type")
            : throw new QemuException(QemuProblem.Refused, $"QEMU has no CPU slot with core-id {coreId}");

    /// <summary>The entry of <c>query-hotpluggable-cpus</c> for a core id, or null when QEMU has none.</summary>
    private JsonNode? CpuSlot(int coreId) =>
        (_qmp.Execute("query-hotpluggable-cpus") as JsonArray ?? []).FirstOrDefault(slot => (int?)slot?["props"]?["core-id"] == coreId);

    /// <summary>The next <c>prefixN</c> no device and no RAM backend has yet (asked of QEMU: other processes plug too).</summary>
    private string NewId(string prefix)
    {
        HashSet<string> taken = [.. ChildNames("/machine/peripheral"), .. ChildNames("/objects")];
        for (int n = _nextId + 1; ; n++)
        {
            string id = string.Create(CultureInfo.InvariantCulture, $"{prefix}{n}");
            if (!taken.Contains(id) && !taken.Contains("mem-" + id))
            {
                _nextId = n;
                return id;
            }
        }
    }

    /// <summary>Ids of the devices management created and QEMU still has (<c>/machine/peripheral</c>), in name order.</summary>
    public IReadOnlyList<string> Devices() =>
        [.. (_qmp.Execute("qom-list", new JsonObject { ["path"] = "/machine/peripheral" }) as JsonArray ?? [])
            .Where(p => ((string?)p?["type"])?.StartsWith("child<", StringComparison.Ordinal) == true)
            .Select(p => (string?)p?["name"])
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    private IEnumerable<string> ChildNames(string path) =>
        (_qmp.Execute("qom-list", new JsonObject { ["path"] = path }) as JsonArray ?? []).Select(p => (string?)p?["name"]).OfType<string>();
}
