using System.Buffers.Binary;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Tests;

/// <summary>K06: a property longer than the work area, QEMU's clipping and LoPAR's "need more memory".</summary>
public class ConnectorWalkerTests
{
    private static readonly WalkToken[] Fragment =
    [
        new(WalkTokenKind.BeginNode, "big@0", []),
        new(WalkTokenKind.Property, "ibm,big", new byte[5000]),
        new(WalkTokenKind.EndNode, string.Empty, []),
    ];

    private static EmulatedDrc Connector() => new(0x90000000, "PMEM 0", "PMEM", DrcKind.Pmem, uint.MaxValue, "/") { State = DrcState.LogicalUnisolate };

    [Fact]
    public void Qemu_clips_the_value_and_reports_its_full_length()
    {
        EmulatedDrc drc = Connector();
        byte[] workArea = new byte[ConfigureConnectorWorkArea.Size];

        Assert.Equal(2, ConnectorWalker.Step(drc, Fragment, workArea, [], strict: false).Value);
        Assert.Equal(3, ConnectorWalker.Step(drc, Fragment, workArea, [], strict: false).Value);

        Assert.Equal(5000u, BinaryPrimitives.ReadUInt32BigEndian(workArea.AsSpan(12)));
        Assert.Equal(0, ConnectorWalker.Step(drc, Fragment, workArea, [], strict: false).Value);
        Assert.Equal(DrcState.LogicalConfigured, drc.State);
    }

    [Fact]
    public void Strict_mode_asks_for_more_memory_and_continues_in_the_extension_page()
    {
        EmulatedDrc drc = Connector();
        byte[] workArea = new byte[ConfigureConnectorWorkArea.Size];
        byte[] extension = new byte[8192];

        Assert.Equal(2, ConnectorWalker.Step(drc, Fragment, workArea, [], strict: true).Value);
        Assert.Equal(5, ConnectorWalker.Step(drc, Fragment, workArea, [], strict: true).Value);
        Assert.Equal(3, ConnectorWalker.Step(drc, Fragment, workArea, extension, strict: true).Value);

        Assert.Equal(5000u, BinaryPrimitives.ReadUInt32BigEndian(workArea.AsSpan(12)));
        Assert.Equal(4096u, BinaryPrimitives.ReadUInt32BigEndian(workArea.AsSpan(16)));
        Assert.Equal(0, ConnectorWalker.Step(drc, Fragment, workArea, [], strict: true).Value);
    }

    [Fact]
    public void A_walk_that_runs_off_its_fragment_is_a_hardware_error()
    {
        EmulatedDrc drc = Connector();
        drc.WalkCursor = Fragment.Length;

        Assert.Equal(-1, ConnectorWalker.Step(drc, Fragment, new byte[4096], [], strict: false).Value);
    }
}
