using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>The emulated kernel's state as a section of the machine's state file.</summary>
public static class KernelStateCodec
{
    public const string ExtensionName = "kernel";

    public static byte[] Encode(KernelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var w = new BigEndianWriter(64 * 1024);
        KernelFeatures f = state.Features;
        w.WriteByte((byte)((f.Dlpar.Present ? 1 : 0) | (f.Dlpar.Memory ? 2 : 0) | (f.Dlpar.Cpu ? 4 : 0) | (f.Dlpar.DeviceTree ? 8 : 0) | (f.CpuProbe
            ? 16 : 0) | (f.MemoryProbe ? 32 : 0)));
        byte[] tree = FdtWriter.Write(new FlattenedDeviceTree(state.Tree.Clone()));
        w.WriteUInt32((uint)tree.Length);
        w.WriteBytes(tree);
        w.WriteUInt32((uint)state.Cpus.Count);
        foreach (CpuThread cpu in state.Cpus.Values)
        {
            w.WriteUInt32((uint)cpu.Number);
            w.WriteUInt32(cpu.PhysicalId);
            w.WriteByte(cpu.Online ? (byte)1 : (byte)0);
        }

        w.WriteUInt32((uint)state.MemoryBlocks.Count);
        foreach (MemoryBlock block in state.MemoryBlocks.Values.OrderBy(b => b.Number))
        {
            w.WriteUInt32((uint)block.Number);
            w.WriteByte((byte)((block.Online ? 1 : 0) | (block.Removable ? 2 : 0)));
        }

        w.WriteUInt32((uint)state.ErrorLog.Count);
        foreach ((int sequence, byte[] log) in state.ErrorLog)
        {
            w.WriteUInt32((uint)sequence);
            w.WriteUInt32((uint)log.Length);
            w.WriteBytes(log);
        }

        w.WriteUInt32((uint)state.NextErrorSequence);
        w.WriteUInt32(state.NextPhandle);
        w.WriteUInt32((uint)state.PowerRequests.Count);
        state.PowerRequests.ForEach(w.WriteCString);
        w.WriteUInt32((uint)state.DlparSlots.Count);
        foreach (string slot in state.DlparSlots)
        {
            w.WriteCString(slot);
        }

        w.WriteUInt32((uint)state.PciDevices.Count);
        foreach (string device in state.PciDevices)
        {
            w.WriteCString(device);
        }

        return w.ToArray();
    }

    /// <summary>Decodes the section; damage surfaces as <see cref="DlparFormatException"/>.</summary>
    public static KernelState Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new BigEndianReader(bytes, "kernel-state");
        byte flags = r.ReadByte("features");
        var features = new KernelFeatures(
            (flags & 1) != 0 ? new KernelDlparCapabilities(true, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0) : KernelDlparCapabilities.None,
            (flags & 16) != 0,
            (flags & 32) != 0);
        int treeLength = (int)Math.Min(r.ReadUInt32("tree length"), int.MaxValue);
        var state = new KernelState(FdtReader.Read(r.ReadBytes(treeLength, "tree")).Root, features);
        uint cpus = Count(ref r, "cpus", 9);
        for (uint i = 0; i < cpus; i++)
        {
            var cpu = new CpuThread((int)r.ReadUInt32("cpu number"), r.ReadUInt32("cpu physical id"), r.ReadByte("cpu online") != 0);
            state.Cpus[cpu.Number] = cpu;
        }

        uint blocks = Count(ref r, "memory blocks", 5);
        state.MemoryBlocks.EnsureCapacity((int)blocks);
        for (uint i = 0; i < blocks; i++)
        {
            int number = (int)r.ReadUInt32("block number");
            byte blockFlags = r.ReadByte("block flags");
            state.MemoryBlocks[number] = new MemoryBlock(number, (blockFlags & 1) != 0, (blockFlags & 2) != 0);
        }

        uint records = Count(ref r, "error log", 8);
        for (uint i = 0; i < records; i++)
        {
            int sequence = (int)r.ReadUInt32("record sequence");
            int length = (int)Math.Min(r.ReadUInt32("record length"), int.MaxValue);
            state.ErrorLog.Add((sequence, r.ReadBytes(length, "record").ToArray()));
        }

        state.NextErrorSequence = (int)r.ReadUInt32("next sequence");
        state.NextPhandle = r.ReadUInt32("next phandle");
        uint requests = Count(ref r, "power requests", 1);
        for (uint i = 0; i < requests; i++)
        {
            state.PowerRequests.Add(r.ReadCString("power request"));
        }

        uint slots = Count(ref r, "dlpar slots", 1);
        for (uint i = 0; i < slots; i++)
        {
            state.DlparSlots.Add(r.ReadCString("dlpar slot"));
        }

        uint devices = Count(ref r, "pci devices", 1);
        for (uint i = 0; i < devices; i++)
        {
            state.PciDevices.Add(r.ReadCString("pci device"));
        }

        return state;
    }

    private static uint Count(ref BigEndianReader r, string field, int minimumSize)
    {
        uint count = r.ReadUInt32(field);
        return count <= (uint)(r.Remaining / minimumSize) ? count : throw r.Error(field, $"{count} entries cannot fit in {r.Remaining} bytes");
    }
}
