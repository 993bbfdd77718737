using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Tests.Support;

namespace DlparAgent.Core.Tests.Formats;

public class RtasEventTests
{
    private static readonly DateTime FixtureTime = new(2026, 11, 24, 1, 43, 36);

    [Fact]
    public void Decodes_every_field_of_qemus_memory_add_event()
    {
        RtasEventLog log = RtasEventLog.Read(Fixtures.Hex(Fixtures.MemoryAddEvent));

        Assert.Equal(116, log.TotalLength);
        Assert.Equal(0x063460E5u, log.Summary.Raw);
        Assert.Equal(6, log.Summary.Version);
        Assert.Equal(RtasEventSeverity.Event, log.Summary.Severity);
        Assert.Equal(RtasEventDisposition.NotRecovered, log.Summary.Disposition);
        Assert.True(log.Summary.ExtendedLogPresent);
        Assert.Equal(6, log.Summary.Initiator);
        Assert.Equal(0, log.Summary.Target);
        Assert.Equal(RtasEventTypes.Hotplug, log.Summary.Type);
        Assert.Equal(108u, log.ExtendedLength);
        Assert.True(log.ExtendedHeader!.Valid && log.ExtendedHeader.NewLog && log.ExtendedHeader.BigEndian && log.ExtendedHeader.PowerPcFormat);
        Assert.Equal(0xE, log.ExtendedHeader.LogFormat);
        Assert.Equal(RtasExtendedHeader.IbmCompanyId, log.ExtendedHeader.CompanyId);
        Assert.Equal(["PH", "UH", "HP"], log.Sections.Select(s => s.Id));

        MainASection mainA = log.FindSection<MainASection>()!;
        Assert.Equal(0x20261124u, mainA.CreationDateBcd);
        Assert.Equal(0x01433600u, mainA.CreationTimeBcd);
        Assert.Equal(FixtureTime, mainA.CreationTime);
        Assert.Equal('H', mainA.CreatorId);
        Assert.Equal(3, mainA.SectionCount);
        Assert.Equal(0u, mainA.PlatformLogId);

        MainBSection mainB = log.FindSection<MainBSection>()!;
        Assert.Equal(0x80, mainB.SubsystemId);
        Assert.Equal(0, mainB.EventSeverity);
        Assert.Equal(0, mainB.EventSubtype);
        Assert.Equal(0, mainB.ActionFlags);

        HotplugSection hotplug = log.FindSection<HotplugSection>()!;
        Assert.Equal(20, hotplug.Length);
        Assert.Equal(1, hotplug.Version);
        Assert.Equal(HotplugResource.Memory, hotplug.Resource);
        Assert.Equal(HotplugAction.Add, hotplug.Action);
        Assert.Equal(HotplugIdentifier.ByCount(2), hotplug.Identifier);
        Assert.True(hotplug.Transactional);
        Assert.Null(hotplug.Token);
    }

    [Fact]
    public void The_builder_reproduces_qemus_add_event_byte_for_byte()
    {
        byte[] qemu = Fixtures.Hex(Fixtures.MemoryAddEvent);

        RtasEventLog built = RtasEventBuilder.Hotplug(HotplugResource.Memory, HotplugAction.Add, HotplugIdentifier.ByCount(2), new RtasEventStamp(FixtureTime,
            0));

        Assert.Equal(qemu, built.ToArray());
    }

    [Fact]
    public void The_builder_reproduces_qemus_remove_event_with_its_host_endian_plid()
    {
        byte[] qemu = Fixtures.Hex(Fixtures.MemoryRemoveEvent);

        RtasEventLog built = RtasEventBuilder.Hotplug(
            HotplugResource.Memory, HotplugAction.Remove, HotplugIdentifier.ByCountIndexed(2, 0x80000008), new RtasEventStamp(FixtureTime, 1,
                PlidLittleEndian: true));

        Assert.Equal(qemu, built.ToArray());
        Assert.Equal(HotplugIdentifier.ByCountIndexed(2, 0x80000008), RtasEventLog.Read(qemu).FindSection<HotplugSection>()!.Identifier);
    }

    [Fact]
    public void Cpu_add_event_matches_conformance_case_E01()
    {
        byte[] log = RtasEventBuilder.Hotplug(HotplugResource.Cpu, HotplugAction.Add, HotplugIdentifier.ByIndex(0x10000002), new RtasEventStamp(FixtureTime,
            7)).ToArray();

        Assert.Equal(Convert.FromHexString("063460E50000006C"), log[0..8]);
        Assert.Equal(Convert.FromHexString("86008E00"), log[8..12]);
        Assert.Equal(Convert.FromHexString("49424D00"), log[20..24]);
        Assert.Equal(Convert.FromHexString("50480030"), log[24..28]);
        Assert.Equal(0x48, log[48]);
        Assert.Equal(3, log[51]);
        Assert.Equal(Convert.FromHexString("55480018"), log[72..76]);
        Assert.Equal(0x80, log[80]);
        Assert.Equal(Convert.FromHexString("48500014"), log[96..100]);
        Assert.Equal(1, log[100]);
        Assert.Equal(Convert.FromHexString("01010200"), log[104..108]);
        Assert.Equal(Convert.FromHexString("10000002"), log[108..112]);
        Assert.Equal(new byte[4], log[112..116]);
    }

    [Fact]
    public void Count_indexed_event_matches_conformance_case_E10()
    {
        byte[] log = RtasEventBuilder.Hotplug(HotplugResource.Memory, HotplugAction.Add, HotplugIdentifier.ByCountIndexed(8, 0x80000014),
            new RtasEventStamp(FixtureTime, 0)).ToArray();

        Assert.Equal(Convert.FromHexString("02010400" + "00000008" + "80000014"), log[104..116]);
    }

    [Fact]
    public void Epow_event_has_qemus_summary_and_section()
    {
        RtasEventLog log = RtasEventBuilder.Epow(new RtasEventStamp(FixtureTime, 0));

        Assert.Equal(0x06340040u, log.Summary.Raw);
        EpowSection epow = log.FindSection<EpowSection>()!;
        Assert.Equal((3, 1, 1, 0UL), (epow.ActionCode, epow.EventModifier, epow.ExtendedModifier, epow.ReasonCode!.Value));
        Assert.Equal(2, epow.Version);
        Assert.Equal(0xD0, log.FindSection<MainBSection>()!.EventSubtype);
        Assert.Equal(0xA0, log.FindSection<MainBSection>()!.SubsystemId);
        Assert.Equal(log.ToArray(), RtasEventLog.Read(log.ToArray()).ToArray());
    }

    [Fact]
    public void Name_identifiers_tokens_and_the_transactional_bit_round_trip()
    {
        RtasEventLog log = RtasEventBuilder.Hotplug(
            HotplugResource.Slot, HotplugAction.Remove, HotplugIdentifier.ByName("U8233.E8B.1000C9P-V1-C3"), new RtasEventStamp(FixtureTime, 0),
            capabilities: HotplugSection.TokenPresentBit | HotplugSection.NonTransactionalBit, token: 0xCAFE0001);

        HotplugSection hotplug = RtasEventLog.Read(log.ToArray()).FindSection<HotplugSection>()!;

        Assert.Equal(HotplugResource.Slot, hotplug.Resource);
        Assert.Equal(HotplugIdentifier.ByName("U8233.E8B.1000C9P-V1-C3"), hotplug.Identifier);
        Assert.Equal(0xCAFE0001u, hotplug.Token);
        Assert.False(hotplug.Transactional);
        Assert.Equal(0, hotplug.Length % 4);
    }

    [Fact]
    public void A_log_in_a_padded_buffer_ends_where_it_says()
    {
        byte[] buffer = new byte[2048];
        Fixtures.Hex(Fixtures.MemoryAddEvent).CopyTo(buffer, 0);

        Assert.Equal(116, RtasEventLog.Read(buffer).TotalLength);
    }

    [Fact]
    public void A_log_without_the_extended_bit_is_just_its_fixed_part()
    {
        RtasEventLog log = RtasEventLog.Read(Convert.FromHexString("060000A0" + "00000000"));

        Assert.Equal(8, log.TotalLength);
        Assert.Equal(RtasEventTypes.PlatformResourceReassignment, log.Summary.Type);
        Assert.Empty(log.Sections);
    }

    [Fact]
    public void Unknown_sections_are_kept_raw_and_write_back()
    {
        byte[] qemu = Fixtures.Hex(Fixtures.MemoryAddEvent);
        byte[] withUnknown = [.. qemu, .. Convert.FromHexString("5A5A000C01020304AABBCCDD")];
        withUnknown[7] += 12;

        RtasEventLog log = RtasEventLog.Read(withUnknown);

        RtasSection unknown = log.Sections[^1];
        Assert.Equal("ZZ", unknown.Id);
        Assert.Equal(typeof(RtasSection), unknown.GetType());
        Assert.Equal(Convert.FromHexString("AABBCCDD"), unknown.Data.ToArray());
        Assert.Equal(withUnknown, log.ToArray());
    }

    [Theory]
    [InlineData(99, 0x00, "section length")] // HP length 0 would loop forever in Linux
    [InlineData(98, 0x01, "section length")] // HP length beyond the log
    [InlineData(27, 0x20, "PH section length")] // PH length below its 48-byte layout
    [InlineData(105, 0x03, "HP action")]
    [InlineData(106, 0x07, "HP identifier type")]
    [InlineData(7, 0xFF, "extended log length")]
    public void Damage_names_the_field(int offset, byte value, string field)
    {
        byte[] log = Fixtures.Hex(Fixtures.MemoryAddEvent);
        log[offset] = value;

        var error = Assert.Throws<DlparFormatException>(() => RtasEventLog.Read(log));

        Assert.Equal("rtas-event", error.Format);
        Assert.Contains(field, error.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_must_leave_room_for_the_identifier()
    {
        byte[] log = Fixtures.Hex(Fixtures.MemoryRemoveEvent);
        log[107] = HotplugSection.TokenPresentBit; // the last word becomes the token, the index is gone

        var error = Assert.Throws<DlparFormatException>(() => RtasEventLog.Read(log));

        Assert.Equal("HP drc index", error.Field);
    }

    [Fact]
    public void A_name_identifier_must_be_terminated_in_its_section()
    {
        byte[] log = Fixtures.Hex(Fixtures.MemoryAddEvent);
        log[106] = (byte)HotplugIdentifierType.Name;
        log.AsSpan(108, 8).Fill((byte)'A');

        var error = Assert.Throws<DlparFormatException>(() => RtasEventLog.Read(log));

        Assert.Contains("NUL-terminated", error.Message, StringComparison.Ordinal);
    }
}
