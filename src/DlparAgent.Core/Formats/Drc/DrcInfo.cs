using System.Globalization;
using DlparAgent.Core.Drc;

namespace DlparAgent.Core.Formats.Drc;

/// <summary>
/// <c>ibm,drc-info</c> (LoPAR "Properties for Dynamic Reconfiguration"): a BE u32 entry count,
/// then packed, unaligned entries {type\0, name-prefix\0, index-start, suffix-start, count,
/// increment, power-domain}.
/// </summary>
public static class DrcInfo
{
    public const string PropertyName = "ibm,drc-info";

    /// <summary>Most connectors one property may expand to; far above any real partition.</summary>
    public const long MaxConnectors = 1 << 22;

    private const string Format = "drc-info";
    private const int MinEntrySize = 2 + (5 * 4);

    public static DrcInfoEntry[] Read(ReadOnlySpan<byte> value)
    {
        var reader = new BigEndianReader(value, Format);
        uint count = reader.ReadUInt32("entry count");
        if (count > (uint)(reader.Remaining / MinEntrySize))
        {
            throw reader.Error("entry count", $"{count} entries cannot fit in the {reader.Remaining} bytes that follow");
        }

        var entries = new DrcInfoEntry[count];
        long connectors = 0;
        for (int i = 0; i < entries.Length; i++)
        {
            string type = reader.ReadCString($"entry {i} drc-type");
            string prefix = reader.ReadCString($"entry {i} drc-name-prefix");
            uint indexStart = reader.ReadUInt32($"entry {i} drc-index-start");
            uint suffixStart = reader.ReadUInt32($"entry {i} drc-name-suffix-start");
            uint elements = reader.ReadUInt32($"entry {i} number-sequential-elements");
            uint increment = reader.ReadUInt32($"entry {i} sequential-increment");
            uint domain = reader.ReadUInt32($"entry {i} drc-power-domain");
            if (type.Length == 0)
            {
                throw new DlparFormatException(Format, $"entry {i} drc-type", -1, "empty connector type");
            }

            if (elements > 1 && increment == 0)
            {
                throw new DlparFormatException(Format, $"entry {i} sequential-increment", -1, $"0 with {elements} elements would repeat one index");
            }

            connectors += elements;
            if (connectors > MaxConnectors)
            {
                throw new DlparFormatException(Format, $"entry {i} number-sequential-elements", -1,
                    $"the property would describe more than {MaxConnectors} connectors");
            }

            entries[i] = new DrcInfoEntry(type, prefix, indexStart, suffixStart, elements, increment, domain);
        }

        if (!reader.AtEnd)
        {
            throw reader.Error("trailing data", $"{reader.Remaining} bytes follow the last of {count} entries");
        }

        return entries;
    }

    public static byte[] Write(IReadOnlyList<DrcInfoEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writer = new BigEndianWriter(4 + (entries.Count * 40));
        writer.WriteUInt32((uint)entries.Count);
        foreach (DrcInfoEntry entry in entries)
        {
            writer.WriteCString(entry.Type);
            writer.WriteCString(entry.NamePrefix);
            writer.WriteUInt32(entry.IndexStart);
            writer.WriteUInt32(entry.NameSuffixStart);
            writer.WriteUInt32(entry.Count);
            writer.WriteUInt32(entry.Increment);
            writer.WriteUInt32(entry.PowerDomain);
        }

        return writer.ToArray();
    }

    /// <summary>
    /// Describes connectors as few runs as possible: consecutive connectors of one type and domain
    /// whose names are prefix + decimal suffix, with index and suffix advancing by one common step.
    /// Every connector must have such a name (a trailing decimal number).
    /// </summary>
    public static DrcInfoEntry[] Compress(IReadOnlyList<DrcConnector> connectors)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        var entries = new List<DrcInfoEntry>();
        int i = 0;
        while (i < connectors.Count)
        {
            DrcConnector first = connectors[i];
            (string prefix, uint suffix) = SplitName(first.Name);
            uint count = 1;
            uint increment = 1;
            if (i + 1 < connectors.Count && TryContinue(first, prefix, suffix, connectors[i + 1], out uint step))
            {
                increment = step;
                while (i + (int)count < connectors.Count)
                {
                    DrcConnector next = connectors[i + (int)count];
                    (string nextPrefix, uint nextSuffix) = SplitName(next.Name);
                    uint offset = count * increment;
                    if (next.Type != first.Type || next.PowerDomain != first.PowerDomain || nextPrefix != prefix
                        || next.Index != first.Index + offset || nextSuffix != suffix + offset)
                    {
                        break;
                    }

                    count++;
                }
            }

            entries.Add(new DrcInfoEntry(first.Type, prefix, first.Index, suffix, count, increment, first.PowerDomain));
            i += (int)count;
        }

        return [.. entries];
    }

    private static bool TryContinue(DrcConnector first, string prefix, uint suffix, DrcConnector next, out uint step)
    {
        step = 0;
        (string nextPrefix, uint nextSuffix) = SplitName(next.Name);
        if (next.Type != first.Type || next.PowerDomain != first.PowerDomain || nextPrefix != prefix || next.Index <= first.Index)
        {
            return false;
        }

        step = next.Index - first.Index;
        return nextSuffix == suffix + step;
    }

    private static (string Prefix, uint Suffix) SplitName(string name)
    {
        int digits = 0;
        while (digits < name.Length && char.IsAsciiDigit(name[name.Length - 1 - digits]))
        {
            digits++;
        }

        // A leading zero would not survive the decimal re-rendering, so it stays in the prefix.
        while (digits > 1 && name[name.Length - digits] == '0')
        {
            digits--;
        }

        if (digits == 0 || digits > 9)
        {
            throw new ArgumentException($"connector name '{name}' does not end in a decimal number, so ibm,drc-info cannot describe it");
        }

        return (name[..^digits], uint.Parse(name.AsSpan(name.Length - digits), NumberStyles.None, CultureInfo.InvariantCulture));
    }
}
