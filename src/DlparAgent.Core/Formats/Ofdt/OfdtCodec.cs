using System.Globalization;
using System.Text;

namespace DlparAgent.Core.Formats.Ofdt;

/// <summary>
/// Encodes <see cref="OfdtCommand"/>s into the bytes of one <c>write()</c> to
/// <c>/proc/powerpc/ofdt</c> and decodes such writes the way Linux's <c>reconfig.c</c> parses them.
/// </summary>
public static class OfdtCodec
{
    private const string Format = "ofdt";

    /// <summary>
    /// The exact bytes: <c>add_node</c> as drmgr writes it (properties, then one NUL; a node without
    /// properties is the path and one space, nothing more), <c>remove_node &lt;path&gt;</c>,
    /// phandles as <c>0x%x</c>, decimal lengths, raw values.
    /// </summary>
    public static byte[] Encode(OfdtCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var writer = new BigEndianWriter(256);
        switch (command)
        {
            case OfdtCommand.AddNode add:
                CheckPath(add.Path);
                writer.WriteLatin1("add_node ");
                writer.WriteLatin1(add.Path);
                if (add.Properties.Count == 0)
                {
                    // The kernel needs the space after the path, and would read a NUL after it as a
                    // property name: a node without properties is "add_node <path> " exactly.
                    writer.WriteByte((byte)' ');
                    break;
                }

                foreach (OfdtProperty property in add.Properties)
                {
                    writer.WriteByte((byte)' ');
                    WriteProperty(writer, property);
                }

                writer.WriteByte(0);
                break;
            case OfdtCommand.RemoveNode remove:
                CheckPath(remove.Path);
                writer.WriteLatin1("remove_node ");
                writer.WriteLatin1(remove.Path);
                break;
            case OfdtCommand.AddProperty add:
                writer.WriteLatin1(string.Create(CultureInfo.InvariantCulture, $"add_property 0x{add.Phandle:x} "));
                WriteProperty(writer, add.Property);
                break;
            case OfdtCommand.UpdateProperty update:
                writer.WriteLatin1(string.Create(CultureInfo.InvariantCulture, $"update_property 0x{update.Phandle:x} "));
                WriteProperty(writer, update.Property);
                break;
            case OfdtCommand.RemoveProperty remove:
                if (remove.Name.Length == 0 || remove.Name.Contains(' ') || remove.Name.Contains('\0'))
                {
                    throw new ArgumentException($"property name '{remove.Name}' must be non-empty without spaces or NULs", nameof(command));
                }

                writer.WriteLatin1(string.Create(CultureInfo.InvariantCulture, $"remove_property 0x{remove.Phandle:x} {remove.Name}"));
                break;
            default:
                throw new ArgumentException($"unknown command {command.GetType().Name}", nameof(command));
        }

        return writer.ToArray();
    }

    /// <summary>Decodes one write, accepting exactly what the kernel's parser accepts.</summary>
    public static OfdtCommand Decode(ReadOnlySpan<byte> write)
    {
        if (write.IsEmpty)
        {
            throw new DlparFormatException(Format, "command", 0, "empty write");
        }

        // The kernel copies the write and NUL-terminates it; string operations stop at a NUL.
        int space = write.IndexOf((byte)' ');
        if (space < 0)
        {
            throw new DlparFormatException(Format, "command", 0, "no space after the command word");
        }

        string verb = Encoding.Latin1.GetString(write[..space]);
        int rest = space + 1;
        return verb switch
        {
            "add_node" => DecodeAddNode(write, rest),
            "remove_node" => new OfdtCommand.RemoveNode(DecodePathToNul(write, rest)),
            "add_property" => DecodePropertyCommand(write, rest, update: false),
            "update_property" => DecodePropertyCommand(write, rest, update: true),
            "remove_property" => DecodeRemoveProperty(write, rest),
            _ => throw new DlparFormatException(Format, "command", 0, $"unknown command '{verb}'"),
        };
    }

    private static void WriteProperty(BigEndianWriter writer, OfdtProperty property)
    {
        writer.WriteLatin1(property.Name);
        writer.WriteLatin1(string.Create(CultureInfo.InvariantCulture, $" {property.Value.Length} "));
        writer.WriteBytes(property.Value.Span);
    }

    private static void CheckPath(string path)
    {
        if (path.Length < 2 || path[0] != '/' || path.Contains(' ') || path.Contains('\0') || path.Any(c => c > 0xFF))
        {
            throw new ArgumentException($"'{path}' is not an absolute device-tree path without spaces below the root", nameof(path));
        }
    }

    private static OfdtCommand.AddNode DecodeAddNode(ReadOnlySpan<byte> write, int offset)
    {
        int end = CStringEnd(write);
        int pathEnd = IndexOf(write[..end], (byte)' ', offset);
        if (pathEnd < 0)
        {
            throw new DlparFormatException(Format, "add_node path", offset, "the path must be followed by a space");
        }

        string path = CheckedPath(write, offset, pathEnd);
        var properties = new List<OfdtProperty>();
        int position = pathEnd + 1;
        while (position < write.Length)
        {
            position = ParseProperty(write, position, out OfdtProperty property);
            properties.Add(property);
        }

        return new OfdtCommand.AddNode(path, properties);
    }

    private static OfdtCommand DecodePropertyCommand(ReadOnlySpan<byte> write, int offset, bool update)
    {
        uint phandle = ParsePhandle(write, ref offset);
        ParseProperty(write, offset, out OfdtProperty property);

        // Bytes after the first property are ignored, as current kernels ignore drmgr's old
        // "add|remove 8 <base>" trailer on ibm,dynamic-memory updates.
        return update ? new OfdtCommand.UpdateProperty(phandle, property) : new OfdtCommand.AddProperty(phandle, property);
    }

    private static OfdtCommand.RemoveProperty DecodeRemoveProperty(ReadOnlySpan<byte> write, int offset)
    {
        uint phandle = ParsePhandle(write, ref offset);
        int end = CStringEnd(write);
        int nameEnd = IndexOf(write[..end], (byte)' ', offset);
        string name = Encoding.Latin1.GetString(write[offset..(nameEnd < 0 ? end : nameEnd)]);
        if (name.Length == 0)
        {
            throw new DlparFormatException(Format, "remove_property name", offset, "empty property name");
        }

        return new OfdtCommand.RemoveProperty(phandle, name);
    }

    private static string DecodePathToNul(ReadOnlySpan<byte> write, int offset)
    {
        int end = CStringEnd(write);
        return CheckedPath(write, offset, end);
    }

    private static string CheckedPath(ReadOnlySpan<byte> write, int start, int end)
    {
        string path = Encoding.Latin1.GetString(write[start..end]);
        if (path.Length < 2 || path[0] != '/' || path.Contains(' '))
        {
            // Node names cannot hold a space, so such a path names no node (the kernel answers ENODEV).
            throw new DlparFormatException(Format, "path", start, $"'{path}' is not an absolute path below the root without spaces");
        }

        return path;
    }

    private static uint ParsePhandle(ReadOnlySpan<byte> write, ref int offset)
    {
        int end = CStringEnd(write);
        int space = IndexOf(write[..end], (byte)' ', offset);
        if (space < 0)
        {
            throw new DlparFormatException(Format, "phandle", offset, "the phandle must be followed by a space");
        }

        string text = Encoding.Latin1.GetString(write[offset..space]);
        if (!CNumber.TryParseU32(text, out uint phandle))
        {
            throw new DlparFormatException(Format, "phandle", offset, $"'{text}' is not a number");
        }

        offset = space + 1;
        return phandle;
    }

    /// <summary>
    /// One <c>name SP length SP value</c>, as the kernel's <c>parse_next_property</c> reads it;
    /// returns where the next property starts.
    /// </summary>
    private static int ParseProperty(ReadOnlySpan<byte> write, int offset, out OfdtProperty property)
    {
        int nameEnd = IndexOf(write, (byte)' ', offset);
        if (nameEnd < 0)
        {
            throw new DlparFormatException(Format, "property name", offset, "the property name must be followed by a space");
        }

        string name = Encoding.Latin1.GetString(write[offset..nameEnd]);
        if (name.Length == 0 || name.Contains('\0'))
        {
            throw new DlparFormatException(Format, "property name", offset, "empty property name or one containing NUL");
        }

        int position = nameEnd + 1;
        int digits = position;
        while (digits < write.Length && write[digits] is >= (byte)'0' and <= (byte)'9')
        {
            digits++;
        }

        if (digits == position || digits - position > 9)
        {
            throw new DlparFormatException(Format, $"{name} length", position, "the length must be a decimal number");
        }

        int length = int.Parse(Encoding.Latin1.GetString(write[position..digits]), NumberStyles.None, CultureInfo.InvariantCulture);
        if (digits >= write.Length || write[digits] != (byte)' ' || digits + 1 >= write.Length)
        {
            throw new DlparFormatException(Format, $"{name} length", digits, "the length must be followed by a space and the value");
        }

        int valueStart = digits + 1;
        if (length > write.Length - valueStart)
        {
            throw new DlparFormatException(Format, $"{name} value", valueStart, $"{length} bytes declared but only {write.Length - valueStart} present");
        }

        int valueEnd = valueStart + length;
        if (valueEnd < write.Length && write[valueEnd] is not ((byte)' ' or 0))
        {
            throw new DlparFormatException(Format, $"{name} value", valueEnd, "the value must be followed by a space, a NUL or the end of the write");
        }

        property = new OfdtProperty(name, write[valueStart..valueEnd].ToArray());
        return valueEnd + 1;
    }

    private static int CStringEnd(ReadOnlySpan<byte> write)
    {
        int nul = write.IndexOf((byte)0);
        return nul < 0 ? write.Length : nul;
    }

    private static int IndexOf(ReadOnlySpan<byte> data, byte value, int from)
    {
        if (from >= data.Length)
        {
            return -1;
        }

        int found = data[from..].IndexOf(value);
        return found < 0 ? -1 : from + found;
    }
}
