using System.Globalization;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>
/// The kernel's PCI side: rpadlpar's add_slot/remove_slot by DRC name (PHBs, logical and virtual
/// I/O slots), rpaphp's hotplug slots (power and adapter), PCI devices known by devspec, rescan.
/// </summary>
internal sealed class KernelPci(KernelState state)
{
    /// <summary>At boot: every PHB and VIO slot in the tree is added, every configured PCI node is a device.</summary>
    public static void Boot(KernelState state)
    {
        foreach (DtNode node in state.Tree.DescendantsAndSelf())
        {
            if (node.GetProperty(KernelTree.MyDrcIndex) is not { Length: 4 } index)
            {
                continue;
            }

            if (node.Parent?.Path == "/" && node.BaseName == "pci" || node.Parent?.Path == "/vdevice")
            {
                if (NameOf(state, index.AsUInt32()) is { } name)
                {
                    state.DlparSlots.Add(name);
                }
            }
            else if (IsUnderPhb(node))
            {
                state.PciDevices.Add(node.Path);
            }
        }
    }

    public IReadOnlyList<HotplugSlot> Slots()
    {
        var slots = new List<HotplugSlot>();
        foreach (DtNode phb in state.Tree.Children.Where(n => n.BaseName == "pci"))
        {
            if (DrcCatalog.ReadContainer(phb) is not { } container)
            {
                continue;
            }

            foreach (DrcConnector slot in container.Connectors.Where(c => c.IsPhysicalSlot))
            {
                DtNode[] children = [.. Children(phb, slot.Index)];
                int adapter = children.Length == 0 ? 0 : children.All(c => state.PciDevices.Contains(c.Path)) ? 1 : 2;
                slots.Add(new HotplugSlot(slot.Name, adapter == 1, adapter));
            }
        }

        return slots;
    }

    public void SetPower(string name, bool on)
    {
        (DtNode phb, DrcConnector slot) = FindSlot(name);
        DtNode[] children = [.. Children(phb, slot.Index)];
        if (on && children.Length == 0)
        {
            throw new KernelException(Errno.ENODEV, $"slot {name} is empty");
        }

        foreach (DtNode child in children)
        {
            if (on)
            {
                state.PciDevices.Add(child.Path);
            }
            else
            {
                state.PciDevices.Remove(child.Path);
            }
        }
    }

    public void Rescan()
    {
        foreach (DtNode phb in state.Tree.Children.Where(n => n.BaseName == "pci" && DlparSlotAdded(n)))
        {
            foreach (DtNode child in phb.DescendantsAndSelf().Skip(1).Where(c => c.HasProperty(KernelTree.MyDrcIndex)))
            {
                state.PciDevices.Add(child.Path);
            }
        }
    }

    public void RemoveDevice(string devspec)
    {
        if (!state.PciDevices.Remove(devspec))
        {
            throw new KernelException(Errno.ENODEV, $"no PCI device at {devspec}");
        }
    }

    public void AddSlot(string name)
    {
        if (state.DlparSlots.Contains(name))
        {
            throw new KernelException(Errno.EINVAL, $"{name} is already added");
        }

        DtNode node = NodeOf(name) ?? throw new KernelException(Errno.ENODEV, $"no configured node for DRC {name}");
        state.DlparSlots.Add(name);
        if (node.BaseName == "pci" && node.Parent?.Path == "/")
        {
            // A new PHB's bus is scanned: the devices below it appear.
            foreach (DtNode child in node.DescendantsAndSelf().Skip(1).Where(c => c.HasProperty(KernelTree.MyDrcIndex)))
            {
                state.PciDevices.Add(child.Path);
            }
        }
    }

    public void RemoveSlot(string name)
    {
        if (!state.DlparSlots.Remove(name))
        {
            throw new KernelException(Errno.EINVAL, $"{name} is not added");
        }

        if (NodeOf(name) is { } node)
        {
            state.PciDevices.RemoveWhere(path => path.StartsWith(node.Path + "/", StringComparison.Ordinal));
        }
    }

    /// <summary>Devices whose nodes are gone (detached from the tree) go too.</summary>
    public void Prune() => state.PciDevices.RemoveWhere(path => state.Tree.Find(path) is null);

    private bool DlparSlotAdded(DtNode phb) =>
        phb.GetProperty(KernelTree.MyDrcIndex) is not { Length: 4 } index || NameOf(state, index.AsUInt32()) is not { } name || state.DlparSlots.Contains(name);

    private DtNode? NodeOf(string name)
    {
        DrcCatalog catalog = DrcCatalog.FromTree(state.Tree);
        return catalog.TryGetByName(name, out DrcConnector connector, out _) ? KernelTree.WithDrcIndex(state.Tree, connector.Index).FirstOrDefault() : null;
    }

    private (DtNode Phb, DrcConnector Slot) FindSlot(string name)
    {
        foreach (DtNode phb in state.Tree.Children.Where(n => n.BaseName == "pci"))
        {
            if (DrcCatalog.ReadContainer(phb)?.Connectors.FirstOrDefault(c => c.IsPhysicalSlot && c.Name == name) is { } slot)
            {
                return (phb, slot);
            }
        }

        throw new KernelException(Errno.ENOENT, $"no hotplug slot {name}");
    }

    private static IEnumerable<DtNode> Children(DtNode phb, uint index) =>
        phb.Children.Where(c => c.GetProperty(KernelTree.MyDrcIndex) is { Length: 4 } p && p.AsUInt32() == index);

    /// <summary>
    /// Each PCI device's devspec with the name Linux gives it: domain from the PHB's unit address
    /// (its BUID; pseries numbers a PHB by the BUID's low 16 bits), bus 0 (the emulated PHBs have no
    /// bridges), device and function from the device node's unit address (<c>ethernet@3,1</c> is 03.1).
    /// </summary>
    public Dictionary<string, string> Addresses()
    {
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string devspec in state.PciDevices)
        {
            string[] path = devspec.Split('/', StringSplitOptions.RemoveEmptyEntries);
            ulong buid = Hex(UnitAddress(path[0]));
            string[] slot = UnitAddress(path[^1]).Split(',');
            ulong function = slot.Length > 1 ? Hex(slot[1]) : 0;
            addresses[devspec] = string.Create(CultureInfo.InvariantCulture, $"{buid & 0xFFFF:x4}:00:{Hex(slot[0]):x2}.{function}");
        }

        return addresses;

        static string UnitAddress(string name) => name.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 ? name[(at + 1)..] : "0";

        static ulong Hex(string text) => ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value) ? value : 0;
    }

    private static bool IsUnderPhb(DtNode node)
    {
        for (DtNode? n = node.Parent; n is not null; n = n.Parent)
        {
            if (n.BaseName == "pci" && n.Parent?.Path == "/")
            {
                return true;
            }
        }

        return false;
    }

    private static string? NameOf(KernelState state, uint index) =>
        DrcCatalog.FromTree(state.Tree).TryGetByIndex(index, out DrcConnector connector, out _) ? connector.Name : null;
}
