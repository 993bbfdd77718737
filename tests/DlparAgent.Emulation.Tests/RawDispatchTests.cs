using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

/// <summary>Raw calls with QEMU's argument-count checks, and buffers in guest memory.</summary>
public class RawDispatchTests
{
    private const ulong Rmo = 0x10000000;

    private readonly Scenario _s = Scenario.FixtureF();
    private readonly GuestMemory _memory = new(Rmo, 64 * 1024);
    private readonly RtasCallFrame _frame = new();

    public static TheoryData<string, uint, int, uint[]> BadCounts => new()
    {
        { "C03 get-sensor-state with 3 inputs", 0x201D, 2, [9003, 0x10000000, 0] },
        { "C05 set-indicator with 2 inputs", 0x201A, 1, [9001, 0x10000000] },
        { "C05 set-indicator with 2 outputs", 0x201A, 2, [9001, 0x10000000, 1] },
        { "C12 configure-connector with 1 input", 0x201E, 1, [(uint)Rmo] },
        { "C13 unknown token", 0x2999, 1, [0] },
        { "E06 check-exception with 5 inputs", 0x200E, 1, [0x500, 0, 0x10000000, 0, (uint)Rmo] },
        { "E06 check-exception with 8 inputs", 0x200E, 1, [0x500, 0, 0x10000000, 0, (uint)Rmo, 2048, 0, 0] },
        { "E06 event-scan with 3 inputs", 0x200F, 1, [0xFFFFFFFF, 0, (uint)Rmo] },
        { "C14 get-power-level with 2 outputs missing", 0x201C, 1, [0xFFFFFFFF] },
    };

    [Theory]
    [MemberData(nameof(BadCounts))]
    public void Wrong_argument_counts_answer_minus_3(string name, uint token, int outputs, uint[] inputs)
    {
        _s.Run("plug cpu 2");
        RtasStatus status = _s.Platform.Dispatch(_frame.Set(token, outputs, inputs), _memory);

        Assert.True(status.Value == -3, $"{name}: status {status.Value}");
        Assert.Equal(unchecked((uint)-3), _frame.Output(0));
        Assert.Single(_s.Machine.Events);
    }

    [Fact]
    public void Sensor_and_indicator_calls_return_their_outputs_in_the_frame()
    {
        Assert.Equal(0, _s.Platform.Dispatch(_frame.Set(0x201D, 2, 9003, 0x10000000), _memory).Value);
        Assert.Equal(1u, _frame.Output(1));
        Assert.Equal(0, _s.Platform.Dispatch(_frame.Set(0x201C, 2, 0xFFFFFFFF), _memory).Value);
        Assert.Equal(100u, _frame.Output(1));
        Assert.Equal(0, _s.Platform.Dispatch(_frame.Set(0x201A, 1, 9002, 0x40000000, 2), _memory).Value);
    }

    [Fact]
    public void E01_check_exception_writes_qemus_cpu_add_event_into_guest_memory()
    {
        _s.Run("plug cpu 2");

        RtasStatus status = _s.Platform.Dispatch(_frame.Set(0x200E, 1, 0x500, 0x1001, 0x10000000, 0, (uint)Rmo, 2048), _memory);

        Assert.Equal(0, status.Value);
        byte[] log = _memory.Bytes[..116].ToArray();
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
        Assert.Equal(Convert.FromHexString("01010200" + "10000002" + "00000000"), log[104..116]);
        Assert.Equal(Convert.FromHexString("20261124" + "01433600"), log[32..40]);
        Assert.Empty(_s.Machine.Events);
    }

    [Fact]
    public void E11_check_exception_truncates_to_the_callers_length()
    {
        _s.Run("plug cpu 2");
        _memory.Bytes.Fill(0xEE);

        Assert.Equal(0, _s.Platform.Dispatch(_frame.Set(0x200E, 1, 0x500, 0x1001, 0x10000000, 0, (uint)Rmo, 64), _memory).Value);

        Assert.Equal(0x06, _memory.Bytes[0]);
        Assert.Equal(0xEE, _memory.Bytes[64]);
    }

    [Fact]
    public void Configure_connector_reads_its_work_area_from_guest_memory()
    {
        Span<byte> workArea = _memory.Bytes[..ConfigureConnectorWorkArea.Size];
        ConfigureConnectorWorkArea.Initialize(workArea, 0x10000001);

        Assert.Equal(2, _s.Platform.Dispatch(_frame.Set(0x201E, 1, (uint)Rmo, 0), _memory).Value);

        Assert.Equal("PowerPC,POWER9@1", ConfigureConnectorWorkArea.ReadStep(workArea, 2).Name);
        Assert.Equal(-3, _s.Platform.Dispatch(_frame.Set(0x201E, 1, 0x7000_0000, 0), _memory).Value);

        // QEMU's address is (arg1 << 32) | arg0: an extension page address there is not honoured.
        Assert.Equal(-3, _s.Platform.Dispatch(_frame.Set(0x201E, 1, (uint)Rmo, (uint)Rmo + 4096), _memory).Value);
    }

    [Fact]
    public void Cpu_start_stop_and_query_are_answered()
    {
        Assert.Equal(0, _s.Platform.Dispatch(_frame.Set(0x2006, 1, 1, 0, 0), _memory).Value);
        Assert.Equal(0, _s.Platform.Dispatch(_frame.Set(0x2007, 1), _memory).Value);
        Assert.Equal(0, _s.Platform.Dispatch(_frame.Set(0x2005, 2, 1), _memory).Value);
        Assert.Equal(-3, _s.Platform.Dispatch(_frame.Set(0x2005, 2, 3), _memory).Value);
        Assert.Equal(0x201Eu, EmulatedPlatform.TokenOf(RtasServices.ConfigureConnector));
        Assert.True(_s.Platform.HasService(RtasServices.CheckException));
        Assert.False(_s.Platform.HasService("ibm,update-nodes"));
    }
}
