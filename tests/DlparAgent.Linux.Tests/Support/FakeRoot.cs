using System.Globalization;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Kernel;
using DlparAgent.Emulation;

namespace DlparAgent.Linux.Tests.Support;

/// <summary>
/// A temporary system root made from an emulated partition: its device tree as
/// <c>/proc/device-tree</c>, its CPUs, memory blocks and PCI devices as sysfs, the RMO buffer
/// file, a sparse <c>/dev/mem</c>, and empty writable kernel files.
/// </summary>
internal sealed class FakeRoot : IDisposable
{
    public const ulong RmoBase = 0x0F000000;
    public const int RmoSize = 0x10000;

    public FakeRoot(EmulatedPartition? partition = null)
    {
        Directory.CreateDirectory(Root);
        Paths = new LinuxPaths(Root);
        Write("/proc/powerpc/rtas/rmo_buffer", $"{RmoBase:x16} {RmoSize:x}\n");
        Directory.CreateDirectory(Resolve("/dev"));
        using (var mem = new FileStream(Resolve("/dev/mem"), FileMode.Create))
        {
            mem.SetLength((long)RmoBase + RmoSize);
        }

        Directory.CreateDirectory(Resolve("/var/lock"));
        Write("/proc/powerpc/rtas/error_log", string.Empty);
        if (partition is not null)
        {
            Mirror(partition.Kernel);
        }
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "dlpar-root-" + Guid.NewGuid().ToString("N"));

    public LinuxPaths Paths { get; }

    public string Resolve(string systemPath) => Paths.Resolve(systemPath);

    public void Write(string systemPath, string text) => WriteBytes(systemPath, System.Text.Encoding.ASCII.GetBytes(text));

    public void WriteBytes(string systemPath, byte[] bytes)
    {
        string path = Resolve(systemPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Writes the kernel's state as the files a Linux kernel would show.</summary>
    public void Mirror(IGuestKernel kernel)
    {
        string tree = Resolve("/proc/device-tree");
        if (Directory.Exists(tree))
        {
            Directory.Delete(tree, recursive: true);
        }

        WriteTree(kernel.ReadDeviceTree(), tree);
        Write("/sys/kernel/dlpar", kernel.ReadDlparCapabilities().Present ? kernel.ReadDlparCapabilities().Content + "\n" : string.Empty);
        if (!kernel.ReadDlparCapabilities().Present)
        {
            File.Delete(Resolve("/sys/kernel/dlpar"));
        }

        Write("/proc/powerpc/ofdt", string.Empty);
        foreach (CpuThread thread in kernel.ReadCpuThreads())
        {
            Write($"/sys/devices/system/cpu/cpu{thread.Number}/online", thread.Online ? "1\n" : "0\n");
            Write($"/sys/devices/system/cpu/cpu{thread.Number}/physical_id", string.Create(CultureInfo.InvariantCulture, $"{thread.PhysicalId}\n"));
        }

        Write("/sys/devices/system/memory/block_size_bytes", string.Create(CultureInfo.InvariantCulture, $"{kernel.ReadMemoryBlockSize():x}\n"));
        foreach (MemoryBlock block in kernel.ReadMemoryBlocks())
        {
            Write($"/sys/devices/system/memory/memory{block.Number}/state", block.Online ? "online\n" : "offline\n");
            Write($"/sys/devices/system/memory/memory{block.Number}/removable", block.Removable ? "1\n" : "0\n");
        }

        Write("/sys/bus/pci/slots/control/add_slot", string.Empty);
        Write("/sys/bus/pci/slots/control/remove_slot", string.Empty);
        Write("/sys/bus/pci/rescan", string.Empty);
        foreach ((string devspec, string device) in kernel.ReadPciDevices())
        {
            Write($"/sys/bus/pci/devices/{device}/devspec", devspec + "\n");
            Write($"/sys/bus/pci/devices/{device}/remove", string.Empty);
        }

        foreach (HotplugSlot slot in kernel.ReadHotplugSlots())
        {
            Write($"/sys/bus/pci/slots/{slot.Name}/power", slot.Power ? "1\n" : "0\n");
            Write($"/sys/bus/pci/slots/{slot.Name}/adapter", string.Create(CultureInfo.InvariantCulture, $"{slot.Adapter}\n"));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static void WriteTree(DtNode node, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (DtProperty property in node.Properties)
        {
            File.WriteAllBytes(Path.Combine(directory, property.Name), property.Value.ToArray());
        }

        foreach (DtNode child in node.Children)
        {
            WriteTree(child, Path.Combine(directory, child.Name));
        }
    }
}
