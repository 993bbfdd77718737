namespace DlparAgent.Qemu.Tests;

/// <summary>The qtest line protocol: the exact commands sent, replies parsed, failures typed.</summary>
public sealed class QtestClientTests
{
    [Fact]
    public void Memory_goes_as_base64_and_comes_back_the_same()
    {
        using var server = new FakeQemuServer();
        using QtestClient qtest = server.Connect();

        qtest.Write(0x100_0000, [0x00, 0x00, 0x23, 0x2B, 0x80, 0x00, 0x00, 0x08]);
        var back = new byte[8];
        qtest.Read(0x100_0000, back);

        Assert.Equal("b64write 0x1000000 0x8 AAAjK4AAAAg=", server.Commands[0]);
        Assert.Equal("b64read 0x1000000 0x8", server.Commands[1]);
        Assert.Equal(0x232Bu, qtest.ReadU32(0x100_0000));
        Assert.Equal(new byte[] { 0x00, 0x00, 0x23, 0x2B, 0x80, 0x00, 0x00, 0x08 }, back);
    }

    [Fact]
    public void Asynchronous_irq_lines_are_skipped()
    {
        using var server = new FakeQemuServer(script: line => line.StartsWith("memset", StringComparison.Ordinal) ? "IRQ raise 3\nOK" : null);
        using QtestClient qtest = server.Connect();

        qtest.Fill(0x100_0000, 16, 0);

        Assert.Equal("memset 0x1000000 0x10 0x00", server.Commands[0]);
    }

    [Theory]
    [InlineData("FAIL invalid address", QemuProblem.Protocol)]
    [InlineData("ERR unknown", QemuProblem.Protocol)]
    [InlineData("OK not-base64!", QemuProblem.Protocol)]
    public void Replies_that_are_not_OK_are_protocol_errors(string reply, QemuProblem problem)
    {
        using var server = new FakeQemuServer(script: _ => reply);
        using QtestClient qtest = server.Connect();

        var error = Assert.Throws<QemuException>(() => qtest.Read(0x100_0000, new byte[4]));

        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public void A_closed_connection_means_QEMU_died()
    {
        using var server = new FakeQemuServer(script: _ => FakeQemuServer.Close);
        using QtestClient qtest = server.Connect();

        var error = Assert.Throws<QemuException>(() => qtest.Rtas("event-scan", 4, 0x100_0000, 1, 0x100_0010));

        Assert.Equal(QemuProblem.Died, error.Problem);
    }

    [Fact]
    public void Silence_is_a_timeout()
    {
        using var server = new FakeQemuServer(script: _ => Block());
        using QtestClient qtest = server.Connect(TimeSpan.FromMilliseconds(300));

        var error = Assert.Throws<QemuException>(() => qtest.ReadU32(0x100_0000));

        Assert.Equal(QemuProblem.Timeout, error.Problem);
    }

    [Fact]
    public void An_unknown_service_is_reported_as_qemu_reports_it()
    {
        using var server = new FakeQemuServer();
        using QtestClient qtest = server.Connect();

        Assert.Equal(QtestClient.UnknownService, qtest.Rtas("ibm,no-such-service", 0, 0x100_0000, 1, 0x100_0000));
        Assert.Throws<ArgumentException>(() => qtest.Rtas("two words", 0, 0, 1, 0));
    }

    private static string? Block()
    {
        Thread.Sleep(2000);
        return "OK 0x0";
    }
}
