using System.Text;
using DlparAgent.Core.DeviceTree;

namespace DlparAgent.Core.Formats.Fdt;

/// <summary>
/// Writes a <see cref="FlattenedDeviceTree"/> as a version-17 dtb laid out as dtc and libfdt do:
/// header, reservation map, structure block, strings block, no slack.
/// </summary>
public static class FdtWriter
{
    public static byte[] Write(FlattenedDeviceTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var strings = new StringTable(tree.OriginalStrings);
        var structure = new BigEndianWriter(16 * 1024);
        WriteNode(structure, tree.Root, strings);
        structure.WriteUInt32(FdtConstants.End);

        int reserveOffset = FdtConstants.HeaderSize;
        int structOffset = reserveOffset + ((tree.Reservations.Count + 1) * 16);
        int stringsOffset = structOffset + structure.Length;
        ReadOnlySpan<byte> stringBytes = strings.Bytes;
        int totalSize = stringsOffset + stringBytes.Length;

        var blob = new BigEndianWriter(totalSize);
        blob.WriteUInt32(FdtConstants.Magic);
        blob.WriteUInt32((uint)totalSize);
        blob.WriteUInt32((uint)structOffset);
        blob.WriteUInt32((uint)stringsOffset);
        blob.WriteUInt32((uint)reserveOffset);
        blob.WriteUInt32(FdtConstants.Version);
        blob.WriteUInt32(FdtConstants.LastCompatibleVersion);
        blob.WriteUInt32(tree.BootCpuId);
        blob.WriteUInt32((uint)stringBytes.Length);
        blob.WriteUInt32((uint)structure.Length);
        foreach (FdtReservation reservation in tree.Reservations)
        {
            blob.WriteUInt64(reservation.Address);
            blob.WriteUInt64(reservation.Size);
        }

        blob.WriteZeros(16);
        blob.WriteBytes(structure.WrittenSpan);
        blob.WriteBytes(stringBytes);
        return blob.ToArray();
    }

    private static void WriteNode(BigEndianWriter structure, DtNode node, StringTable strings)
    {
        // Iterative, so the depth of a caller-built tree cannot exhaust the stack.
        var stack = new Stack<(DtNode Node, int NextChild)>();
        stack.Push((node, -1));
        while (stack.Count > 0)
        {
            (DtNode current, int nextChild) = stack.Pop();
            if (nextChild < 0)
            {
                structure.WriteUInt32(FdtConstants.BeginNode);
                structure.WriteCString(current.Name);
                structure.Align(4);
                foreach (DtProperty property in current.Properties)
                {
                    structure.WriteUInt32(FdtConstants.Prop);
                    structure.WriteUInt32((uint)property.Length);
                    structure.WriteUInt32(strings.OffsetOf(property.Name));
                    structure.WriteBytes(property.Value);
                    if (property.FdtPadding is { } padding && padding.Length == (4 - (property.Length % 4)) % 4)
                    {
                        structure.WriteBytes(padding);
                    }
                    else
                    {
                        structure.Align(4);
                    }
                }

                nextChild = 0;
            }

            if (nextChild < current.Children.Count)
            {
                stack.Push((current, nextChild + 1));
                stack.Push((current.Children[nextChild], -1));
            }
            else
            {
                structure.WriteUInt32(FdtConstants.EndNode);
            }
        }
    }

    /// <summary>
    /// libfdt's string table: a name is found at the first place where it occurs NUL-terminated
    /// (possibly as the tail of a longer name), otherwise appended.
    /// </summary>
    private sealed class StringTable
    {
        private readonly BigEndianWriter _bytes = new(4096);
        private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal);

        public StringTable(ReadOnlyMemory<byte>? original)
        {
            if (original is { } block)
            {
                _bytes.WriteBytes(block.Span);
            }
        }

        public ReadOnlySpan<byte> Bytes => _bytes.WrittenSpan;

        public uint OffsetOf(string name)
        {
            if (_offsets.TryGetValue(name, out uint cached))
            {
                return cached;
            }

            byte[] needle = new byte[Encoding.Latin1.GetByteCount(name) + 1];
            Encoding.Latin1.GetBytes(name, needle);
            int found = _bytes.WrittenSpan.IndexOf(needle);
            uint offset;
            if (found >= 0)
            {
                offset = (uint)found;
            }
            else
            {
                offset = (uint)_bytes.Length;
                _bytes.WriteBytes(needle);
            }

            _offsets[name] = offset;
            return offset;
        }
    }
}
