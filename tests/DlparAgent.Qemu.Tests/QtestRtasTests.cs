using System.Buffers.Binary;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Qemu.Tests;

/// <summary>
/// QtestRtas against a fake qtest peer whose RTAS is the emulated platform's raw dispatch: the
/// cells and work areas it puts in guest memory must give the answers a direct call gives.
/// </summary>
public sealed class QtestRtasTests
{
    [Fact]
    public void A_sensor_call_is_three_exchanges_with_QEMUs_layout()
    {
        using var server = new FakeQemuServer(EmulatedPlatform.Create(new MachineProfile()));
        using QtestClient qtest = server.Connect();
        var rtas = new QtestRtas(qtest);

        RtasResult result = rtas.GetSensorState(9003, 0x8000_0008);

        Assert.Equal(new RtasResult(RtasStatus.Success, 2), result);
        Assert.Equal(
            ["b64write 0x1000000 0x10 AAAjK4AAAAgAAAAAAAAAAA==", "rtas get-sensor-state 2 0x1000000 2 0x1000008", "b64read 0x1000008 0x8"],
            server.Commands);
        Assert.Equal(1, rtas.Calls);
        Assert.True(rtas.PlatformTime > TimeSpan.Zero);
    }

    [Fact]
    public void Every_service_answers_as_the_platform_does_directly()
    {
        // One clock for both: an event's log carries the time it was queued.
        var clock = new FixedClock();
        EmulatedPlatform served = EmulatedPlatform.Create(new MachineProfile(), clock);
        EmulatedPlatform direct = EmulatedPlatform.Create(new MachineProfile(), clock);
        using var server = new FakeQemuServer(served);
        using QtestClient qtest = server.Connect();
        var rtas = new QtestRtas(qtest);
        served.Management.PlugCpu(2, "c2");
        direct.Management.PlugCpu(2, "c2");

        foreach (IRtas platform in new IRtas[] { rtas, direct })
        {
            Assert.Equal(0, platform.SetIndicator(9003, 0x1000_0002, 1).Value);
            Assert.Equal(0, platform.SetIndicator(9001, 0x1000_0002, 1).Value);
        }

        Assert.Equal(direct.GetPowerLevel(0xFFFF_FFFF), rtas.GetPowerLevel(0xFFFF_FFFF));
        Assert.Equal(direct.SetPowerLevel(5, 0), rtas.SetPowerLevel(5, 0));
        Assert.Equal(Walk(direct, 0x1000_0002), Walk(rtas, 0x1000_0002));

        var viaQtest = new byte[2048];
        var viaDirect = new byte[2048];
        Assert.Equal(direct.CheckException(0x500, 0, 0xFFFF_FFFF, viaDirect), rtas.CheckException(0x500, 0, 0xFFFF_FFFF, viaQtest));
        Assert.Equal(viaDirect, viaQtest);
        Assert.Equal(1, rtas.EventScan(0xFFFF_FFFF, new byte[2048]).Value);
    }

    [Fact]
    public void An_unknown_service_is_a_parameter_error_and_raw_calls_keep_their_counts()
    {
        using var server = new FakeQemuServer(EmulatedPlatform.Create(new MachineProfile()));
        using QtestClient qtest = server.Connect();
        var rtas = new QtestRtas(qtest);

        Assert.Null(rtas.RawCall("ibm,no-such-service", [1], 1));
        Assert.Equal(unchecked((uint)-3), rtas.RawCall(RtasServices.GetSensorState, [9003, 0x1000_0000, 0], 2)![0]);
        Assert.False(rtas.HasService(RtasServices.GetSensorState));
    }

    private static List<string> Walk(IRtas rtas, uint index)
    {
        var workArea = new byte[ConfigureConnectorWorkArea.Size];
        BinaryPrimitives.WriteUInt32BigEndian(workArea, index);
        var steps = new List<string>();
        while (true)
        {
            int status = rtas.ConfigureConnector(workArea, []).Value;
            steps.Add($"{status} {ConfigureConnectorWorkArea.ReadStep(workArea, status)}");
            if (status is <= 0 or > 4)
            {
                return steps;
            }
        }
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 12, 2, 1, 2, 3, TimeSpan.Zero);
    }
}
