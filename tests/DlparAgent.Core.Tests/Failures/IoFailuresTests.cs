using DlparAgent.Core.Failures;

namespace DlparAgent.Core.Tests.Failures;

/// <summary>File-system failures as one line in strerror's words, and which lock failures are worth a wait.</summary>
public sealed class IoFailuresTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dlpar-io-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(11, true)]
    [InlineData(30, false)]
    [InlineData(28, false)]
    [InlineData(5, false)]
    public void Only_a_lock_another_process_holds_is_worth_waiting_for(int errno, bool held) =>
        Assert.Equal(held, IoFailures.IsLockHeld(new IOException("x", errno)));

    [Fact]
    public void Dotnets_reason_then_path_becomes_path_then_reason() =>
        Assert.Equal("/var/lib/x: No space left on device", IoFailures.Describe(new IOException("No space left on device : '/var/lib/x'", 28)));

    [Fact]
    public void Access_denied_on_a_directory_says_it_is_a_directory()
    {
        var error = Assert.Throws<UnauthorizedAccessException>(() => File.ReadAllBytes(_directory));

        Assert.Equal($"{_directory}: Is a directory", IoFailures.Message(error));
    }

    [Fact]
    public void Access_denied_on_anything_else_is_permission_denied() =>
        Assert.Equal("/etc/x: Permission denied", IoFailures.Describe(new UnauthorizedAccessException("Access to the path '/etc/x' is denied.")));

    [Fact]
    public void The_agents_own_failures_keep_their_words() =>
        Assert.Equal("no such LMB", IoFailures.Message(new InvalidOperationException("no such LMB")));
}
