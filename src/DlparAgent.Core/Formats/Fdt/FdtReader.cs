using System.Buffers.Binary;
using System.Text;
using DlparAgent.Core.DeviceTree;

namespace DlparAgent.Core.Formats.Fdt;

/// <summary>Reads a dtb (versions 16 and 17) into a <see cref="FlattenedDeviceTree"/>.</summary>
public static class FdtReader
{
    private const string Format = "fdt";

    public static FlattenedDeviceTree Read(ReadOnlySpan<byte> blob)
    {
        var header = new BigEndianReader(blob, Format);
        uint magic = header.ReadUInt32("magic");
        if (magic != FdtConstants.Magic)
        {
            throw new DlparFormatException(Format, "magic", 0, $"0x{magic:x8} is not 0x{FdtConstants.Magic:x8}");
        }

        uint totalSize = header.ReadUInt32("totalsize");
        uint structOffset = header.ReadUInt32("off_dt_struct");
        uint stringsOffset = header.ReadUInt32("off_dt_strings");
        uint reserveOffset = header.ReadUInt32("off_mem_rsvmap");
        uint version = header.ReadUInt32("version");
        uint lastCompatible = header.ReadUInt32("last_comp_version");
        uint bootCpu = header.ReadUInt32("boot_cpuid_phys");
        uint stringsSize = header.ReadUInt32("size_dt_strings");

        if (lastCompatible > FdtConstants.Version || version < FdtConstants.LastCompatibleVersion)
        {
            throw new DlparFormatException(Format, "version", 20,
                $"version {version} (last compatible {lastCompatible}) is not readable; versions 16 and 17 are");
        }

        int headerSize = version >= 17 ? FdtConstants.HeaderSize : FdtConstants.HeaderSizeV16;
        uint structSize = version >= 17 ? header.ReadUInt32("size_dt_struct") : 0;

        if (totalSize > blob.Length)
        {
            throw new DlparFormatException(Format, "totalsize", 4, $"{totalSize} bytes declared but only {blob.Length} present");
        }

        if (totalSize < headerSize)
        {
            throw new DlparFormatException(Format, "totalsize", 4, $"{totalSize} is smaller than the {headerSize}-byte header");
        }

        ReadOnlySpan<byte> image = blob[..(int)totalSize];
        CheckBlock(image, "off_mem_rsvmap", 16, reserveOffset, 16, headerSize);
        if (reserveOffset % 8 != 0)
        {
            throw new DlparFormatException(Format, "off_mem_rsvmap", 16, $"{reserveOffset} is not 8-byte aligned");
        }

        if (version < 17)
        {
            // No size_dt_struct before v17: the block runs to the strings block (dtc's layout) or the end.
            uint end = stringsOffset > structOffset ? stringsOffset : totalSize;
            structSize = structOffset <= end ? end - structOffset : 0;
        }

        CheckBlock(image, "off_dt_struct", 8, structOffset, structSize, headerSize);
        if (structOffset % 4 != 0)
        {
            throw new DlparFormatException(Format, "off_dt_struct", 8, $"{structOffset} is not 4-byte aligned");
        }

        CheckBlock(image, "off_dt_strings", 12, stringsOffset, stringsSize, headerSize);

        ReadOnlySpan<byte> strings = image.Slice((int)stringsOffset, (int)stringsSize);
        List<FdtReservation> reservations = ReadReservations(image, (int)reserveOffset);
        CheckDisjoint("off_dt_struct", structOffset, structSize, "off_dt_strings", stringsOffset, stringsSize);
        DtNode root = ReadStructure(image.Slice((int)structOffset, (int)structSize), structOffset, strings, stringsOffset, exactSize: version >= 17);

        return new FlattenedDeviceTree(root)
        {
            Reservations = reservations,
            BootCpuId = bootCpu,
            OriginalStrings = strings.ToArray(),
        };
    }

    private static void CheckBlock(ReadOnlySpan<byte> image, string field, int headerOffset, uint offset, uint size, int headerSize)
    {
        if (offset < headerSize || offset > image.Length || size > image.Length - offset)
        {
            throw new DlparFormatException(Format, field, headerOffset,
                $"block [{offset}, +{size}) lies outside the header-less part [{headerSize}, {image.Length})");
        }
    }

    private static void CheckDisjoint(string field, uint offset, uint size, string otherField, uint otherOffset, uint otherSize)
    {
        if (offset < (ulong)otherOffset + otherSize && otherOffset < (ulong)offset + size)
        {
            throw new DlparFormatException(Format, field, 8, $"block [{offset}, +{size}) overlaps the {otherField} block [{otherOffset}, +{otherSize})");
        }
    }

    private static List<FdtReservation> ReadReservations(ReadOnlySpan<byte> image, int offset)
    {
        var reader = new BigEndianReader(image[offset..], Format, offset);
        var reservations = new List<FdtReservation>();
        while (true)
        {
            ulong address = reader.ReadUInt64("mem_rsvmap address");
            ulong size = reader.ReadUInt64("mem_rsvmap size");
            if (address == 0 && size == 0)
            {
                return reservations;
            }

            reservations.Add(new FdtReservation(address, size));
        }
    }

    private static DtNode ReadStructure(ReadOnlySpan<byte> structure, uint structOffset, ReadOnlySpan<byte> strings, uint stringsOffset, bool exactSize)
    {
        var reader = new BigEndianReader(structure, Format, structOffset);
        DtNode? root = null;
        DtNode? current = null;
        int depth = 0;

        while (true)
        {
            long tagOffset = reader.AbsolutePosition;
            uint tag = reader.ReadUInt32("structure tag");
            switch (tag)
            {
                case FdtConstants.BeginNode:
                {
                    string name = reader.ReadCString("node name");
                    reader.Align(4, "node name padding");
                    if (current is null)
                    {
                        if (root is not null)
                        {
                            throw new DlparFormatException(Format, "structure", tagOffset, "a second top-level node follows the root");
                        }

                        if (name.Length != 0)
                        {
                            throw new DlparFormatException(Format, "node name", tagOffset, $"root node has name '{name}'");
                        }

                        root = current = new DtNode(string.Empty);
                    }
                    else
                    {
                        if (++depth > FdtConstants.MaxDepth)
                        {
                            throw new DlparFormatException(Format, "structure", tagOffset, $"nesting deeper than {FdtConstants.MaxDepth}");
                        }

                        if (name.Length == 0 || name.Contains('/'))
                        {
                            throw new DlparFormatException(Format, "node name", tagOffset, $"'{name}' is not a valid node name");
                        }

                        if (current.GetChild(name) is not null)
                        {
                            throw new DlparFormatException(Format, "node name", tagOffset, $"duplicate node {name} under {current.Path}");
                        }

                        current = current.AddChild(name);
                    }

                    break;
                }

                case FdtConstants.EndNode:
                    if (current is null)
                    {
                        throw new DlparFormatException(Format, "structure", tagOffset, "END_NODE outside any node");
                    }

                    current = current.Parent;
                    if (current is not null)
                    {
                        depth--;
                    }

                    break;

                case FdtConstants.Prop:
                {
                    uint length = reader.ReadUInt32("property length");
                    uint nameOffset = reader.ReadUInt32("property nameoff");
                    if (current is null)
                    {
                        throw new DlparFormatException(Format, "structure", tagOffset, "PROP outside any node");
                    }

                    if (length > reader.Remaining)
                    {
                        throw new DlparFormatException(Format, "property length", tagOffset + 4,
                            $"{length} bytes declared but only {reader.Remaining} remain in the structure block");
                    }

                    ReadOnlySpan<byte> value = reader.ReadBytes((int)length, "property value");
                    ReadOnlySpan<byte> padding = reader.ReadBytes((int)((4 - (length % 4)) % 4), "property padding");
                    string name = ReadString(strings, nameOffset, stringsOffset, tagOffset + 8);
                    if (current.HasProperty(name))
                    {
                        throw new DlparFormatException(Format, "property name", tagOffset, $"duplicate property {name} in {current.Path}");
                    }

                    if (current.Children.Count > 0)
                    {
                        throw new DlparFormatException(Format, "structure", tagOffset, $"property {name} of {current.Path} follows a subnode");
                    }

                    var property = new DtProperty(name, value);
                    if (padding.ContainsAnyExcept((byte)0))
                    {
                        property.FdtPadding = padding.ToArray();
                    }

                    current.AddProperty(property);
                    break;
                }

                case FdtConstants.Nop:
                    break;

                case FdtConstants.End:
                    if (root is null || current is not null)
                    {
                        throw new DlparFormatException(Format, "structure", tagOffset, "END before the root node was closed");
                    }

                    if (exactSize && !reader.AtEnd)
                    {
                        throw new DlparFormatException(Format, "size_dt_struct", 36, $"{reader.Remaining} bytes of the structure block follow FDT_END");
                    }

                    return root;

                default:
                    throw new DlparFormatException(Format, "structure tag", tagOffset, $"unknown tag 0x{tag:x8}");
            }
        }
    }

    private static string ReadString(ReadOnlySpan<byte> strings, uint offset, uint stringsOffset, long fieldOffset)
    {
        if (offset >= strings.Length)
        {
            throw new DlparFormatException(Format, "property nameoff", fieldOffset,
                $"{offset} is outside the {strings.Length}-byte strings block");
        }

        ReadOnlySpan<byte> tail = strings[(int)offset..];
        int length = tail.IndexOf((byte)0);
        if (length <= 0)
        {
            throw new DlparFormatException(Format, "property name", stringsOffset + offset,
                length == 0 ? "empty property name" : "property name is not NUL-terminated within the strings block");
        }

        return Encoding.Latin1.GetString(tail[..length]);
    }

    /// <summary>True when <paramref name="blob"/> starts with the dtb magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> blob) =>
        blob.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(blob) == FdtConstants.Magic;
}
