using DlparAgent.Core.Drc;

namespace DlparAgent.Core.Formats.Drc;

/// <summary>
/// The classic four DRC properties: <c>ibm,drc-indexes</c>, <c>ibm,drc-names</c>,
/// <c>ibm,drc-types</c> and <c>ibm,drc-power-domains</c>. Each starts with a BE u32 count; entry k
/// of every array describes connector k, so the counts must agree.
/// </summary>
public static class DrcArrays
{
    public const string IndexesProperty = "ibm,drc-indexes";
    public const string NamesProperty = "ibm,drc-names";
    public const string TypesProperty = "ibm,drc-types";
    public const string PowerDomainsProperty = "ibm,drc-power-domains";

    private const string Format = "drc-arrays";

    public static DrcConnector[] Read(ReadOnlySpan<byte> indexes, ReadOnlySpan<byte> names, ReadOnlySpan<byte> types, ReadOnlySpan<byte> powerDomains)
    {
        uint[] indexValues = ReadWords(indexes, IndexesProperty);
        string[] nameValues = ReadStrings(names, NamesProperty);
        string[] typeValues = ReadStrings(types, TypesProperty);
        uint[] domainValues = ReadWords(powerDomains, PowerDomainsProperty);

        int count = indexValues.Length;
        CheckCount(NamesProperty, nameValues.Length, count);
        CheckCount(TypesProperty, typeValues.Length, count);
        CheckCount(PowerDomainsProperty, domainValues.Length, count);

        var connectors = new DrcConnector[count];
        for (int i = 0; i < count; i++)
        {
            connectors[i] = new DrcConnector(indexValues[i], nameValues[i], typeValues[i], domainValues[i]);
        }

        return connectors;
    }

    /// <summary>Encodes connectors as the four property values, in the given order.</summary>
    public static (byte[] Indexes, byte[] Names, byte[] Types, byte[] PowerDomains) Write(IReadOnlyList<DrcConnector> connectors)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        var indexes = new BigEndianWriter(4 + (connectors.Count * 4));
        var names = new BigEndianWriter(4 + (connectors.Count * 8));
        var types = new BigEndianWriter(4 + (connectors.Count * 4));
        var domains = new BigEndianWriter(4 + (connectors.Count * 4));
        foreach (BigEndianWriter writer in new[] { indexes, names, types, domains })
        {
            writer.WriteUInt32((uint)connectors.Count);
        }

        foreach (DrcConnector connector in connectors)
        {
            indexes.WriteUInt32(connector.Index);
            names.WriteCString(connector.Name);
            types.WriteCString(connector.Type);
            domains.WriteUInt32(connector.PowerDomain);
        }

        return (indexes.ToArray(), names.ToArray(), types.ToArray(), domains.ToArray());
    }

    private static uint[] ReadWords(ReadOnlySpan<byte> value, string property)
    {
        var reader = new BigEndianReader(value, property);
        uint count = reader.ReadUInt32("entry count");
        if (count > (uint)(reader.Remaining / 4) || reader.Remaining != count * 4)
        {
            throw new DlparFormatException(Format, $"{property} entry count", 0,
                $"{count} entries need {(ulong)count * 4} bytes but {reader.Remaining} follow the count");
        }

        uint[] words = new uint[count];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = reader.ReadUInt32("entry");
        }

        return words;
    }

    private static string[] ReadStrings(ReadOnlySpan<byte> value, string property)
    {
        var reader = new BigEndianReader(value, property);
        uint count = reader.ReadUInt32("entry count");
        if (count > (uint)reader.Remaining)
        {
            throw new DlparFormatException(Format, $"{property} entry count", 0,
                $"{count} strings cannot fit in the {reader.Remaining} bytes that follow the count");
        }

        string[] strings = new string[count];
        for (int i = 0; i < strings.Length; i++)
        {
            strings[i] = reader.ReadCString($"{property} entry {i}");
        }

        if (!reader.AtEnd)
        {
            throw new DlparFormatException(Format, property, reader.Position, $"{reader.Remaining} bytes follow the last of {count} strings");
        }

        return strings;
    }

    private static void CheckCount(string property, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new DlparFormatException(Format, $"{property} entry count", 0,
                $"{actual} entries, but {IndexesProperty} has {expected}");
        }
    }
}
