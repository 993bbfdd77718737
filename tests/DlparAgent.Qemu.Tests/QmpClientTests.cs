namespace DlparAgent.Qemu.Tests;

/// <summary>QMP: the handshake, commands and their errors, events kept in order while commands run.</summary>
public sealed class QmpClientTests
{
    private const string Ok = """{"return": {}}""";

    [Fact]
    public void The_handshake_negotiates_capabilities_and_reads_the_version()
    {
        using var server = new FakeQmpServer(_ => [Ok]);
        using QmpClient qmp = server.Connect();

        Assert.Equal("7.2.22", qmp.Version);
        Assert.Equal("""{"execute":"qmp_capabilities"}""", server.Received[0]);
    }

    [Fact]
    public void A_refusal_carries_QEMUs_description_and_class()
    {
        using var server = new FakeQmpServer(line => line.Contains("device_del", StringComparison.Ordinal)
            ? ["""{"error": {"class": "GenericError", "desc": "Boot CPU core may not be unplugged"}}"""]
            : [Ok]);
        using QmpClient qmp = server.Connect();

        var error = Assert.Throws<QemuException>(() => qmp.Execute("device_del", new() { ["id"] = "core0" }));

        Assert.Equal(QemuProblem.Refused, error.Problem);
        Assert.Equal("GenericError", error.ErrorClass);
        Assert.Contains("Boot CPU core may not be unplugged", error.Message, StringComparison.Ordinal);
        Assert.Equal("""{"execute":"device_del","arguments":{"id":"core0"}}""", server.Received[1]);
    }

    [Fact]
    public void Events_before_a_reply_are_kept_and_can_be_awaited()
    {
        using var server = new FakeQmpServer(line => line.Contains("device_del", StringComparison.Ordinal)
            ? [
                """{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral-anon/device[3]"}}""",
                """{"timestamp": {"seconds": 1, "microseconds": 3}, "event": "DEVICE_DELETED", "data": {"device": "n1", "path": "/machine/peripheral/n1"}}""",
                Ok,
              ]
            : [Ok]);
        using QmpClient qmp = server.Connect();

        qmp.Execute("device_del", new() { ["id"] = "n1" });
        QmpEvent deleted = qmp.WaitFor(e => e.Name == "DEVICE_DELETED" && e.Device == "n1", TimeSpan.FromSeconds(1));

        Assert.Equal("DEVICE_DELETED n1", deleted.ToString());
        Assert.Equal("DEVICE_DELETED", Assert.Single(qmp.TakeEvents()).ToString());
    }

    [Fact]
    public void An_event_that_never_comes_is_a_timeout()
    {
        using var server = new FakeQmpServer(_ => [Ok]);
        using QmpClient qmp = server.Connect();

        var error = Assert.Throws<QemuException>(() => qmp.WaitFor(e => e.Name == "DEVICE_DELETED", TimeSpan.FromMilliseconds(200)));

        Assert.Equal(QemuProblem.Timeout, error.Problem);
    }

    [Theory]
    [InlineData("""{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}}}}""", "not json at all", QemuProblem.Protocol)]
    [InlineData("""{"greeting": 1}""", "", QemuProblem.Protocol)]
    public void Malformed_monitor_output_is_a_protocol_error(string greeting, string reply, QemuProblem problem)
    {
        using var server = new FakeQmpServer(_ => [reply], greeting);

        var error = Assert.Throws<QemuException>(server.Connect);

        Assert.Equal(problem, error.Problem);
    }
}
