using System.Buffers.Binary;
using System.Text;

namespace DlparAgent.Core.Formats.Events;

/// <summary>
/// The <c>HP</c> section of a hotplug event: resource, action, identifier and the capability byte
/// (bit 0x80: a hotplug token ends the section; bit 0x40: not transactional).
/// </summary>
public sealed class HotplugSection : RtasSection
{
    public const ushort SectionId = 0x4850;

    /// <summary>Header, type, action, identifier type, capability byte, and at least one identifier word.</summary>
    public const int MinimumLength = 16;

    public const byte TokenPresentBit = 0x80;
    public const byte NonTransactionalBit = 0x40;

    private const string Format = "rtas-event";

    internal HotplugSection(ReadOnlySpan<byte> bytes)
        : base(bytes)
    {
        RequireLength(MinimumLength, "HP");
        byte action = Bytes[9];
        if (action is not ((byte)HotplugAction.Add or (byte)HotplugAction.Remove))
        {
            throw new DlparFormatException(Format, "HP action", 9, $"{action} is neither 1 (add) nor 2 (remove)");
        }

        int identifierEnd = Length;
        if ((Capabilities & TokenPresentBit) != 0)
        {
            if (Length < MinimumLength + 4)
            {
                throw new DlparFormatException(Format, "HP token", 11, $"the capability byte announces a token but the section has only {Length} bytes");
            }

            identifierEnd -= 4;
            Token = BinaryPrimitives.ReadUInt32BigEndian(Bytes[identifierEnd..]);
        }

        ReadOnlySpan<byte> id = Bytes[12..identifierEnd];
        Identifier = (HotplugIdentifierType)Bytes[10] switch
        {
            HotplugIdentifierType.Index => HotplugIdentifier.ByIndex(ReadWord(id, 0, "HP drc index")),
            HotplugIdentifierType.Count => HotplugIdentifier.ByCount(ReadWord(id, 0, "HP drc count")),
            HotplugIdentifierType.CountIndexed => HotplugIdentifier.ByCountIndexed(ReadWord(id, 0, "HP drc count"), ReadWord(id, 4, "HP drc index")),
            HotplugIdentifierType.Name => HotplugIdentifier.ByName(ReadName(id)),
            _ => throw new DlparFormatException(Format, "HP identifier type", 10, $"{Bytes[10]} is not 1 (name), 2 (index), 3 (count) or 4 (count-indexed)"),
        };
    }

    /// <summary>The resource type; values outside <see cref="HotplugResource"/> are kept as they are.</summary>
    public HotplugResource Resource => (HotplugResource)Bytes[8];

    public HotplugAction Action => (HotplugAction)Bytes[9];

    public HotplugIdentifier Identifier { get; }

    public byte Capabilities => Bytes[11];

    /// <summary>LoPAR: all or nothing for count and count-indexed requests (bit 0x40 clear).</summary>
    public bool Transactional => (Capabilities & NonTransactionalBit) == 0;

    /// <summary>The hotplug token, when the capability byte says one is present.</summary>
    public uint? Token { get; }

    private static uint ReadWord(ReadOnlySpan<byte> identifier, int offset, string field)
    {
        if (identifier.Length < offset + 4)
        {
            throw new DlparFormatException(Format, field, 12 + offset, $"needs 4 bytes, the identifier area has {identifier.Length - offset}");
        }

        return BinaryPrimitives.ReadUInt32BigEndian(identifier[offset..]);
    }

    private static string ReadName(ReadOnlySpan<byte> identifier)
    {
        int length = identifier.IndexOf((byte)0);
        if (length < 0)
        {
            throw new DlparFormatException(Format, "HP drc name", 12, "the DRC name is not NUL-terminated within the section");
        }

        if (length == 0)
        {
            throw new DlparFormatException(Format, "HP drc name", 12, "empty DRC name");
        }

        return Encoding.Latin1.GetString(identifier[..length]);
    }
}
