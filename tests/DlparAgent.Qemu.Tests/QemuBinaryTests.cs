namespace DlparAgent.Qemu.Tests;

/// <summary>Finding qemu-system-ppc64: DLPAR_QEMU first, then PATH, and a typed error that says how to install it.</summary>
public sealed class QemuBinaryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("qemu-binary-").FullName;

    [Fact]
    public void Path_is_searched_in_order()
    {
        string first = Path.Combine(_directory, "a");
        string second = Path.Combine(_directory, "b");
        Directory.CreateDirectory(first);
        Directory.CreateDirectory(second);
        File.WriteAllText(Path.Combine(second, QemuBinary.ExecutableName), string.Empty);

        Assert.Equal(Path.Combine(second, QemuBinary.ExecutableName), QemuBinary.Find(n => n == "PATH" ? $"{first}:{second}" : null));
    }

    [Fact]
    public void The_variable_wins_and_a_missing_binary_says_how_to_install_one()
    {
        string configured = Path.Combine(_directory, "my-qemu");
        File.WriteAllText(configured, string.Empty);
        Assert.Equal(configured, QemuBinary.Find(n => n == QemuBinary.EnvironmentVariable ? configured : null));

        var error = Assert.Throws<QemuException>(() => QemuBinary.Require(n => n == QemuBinary.EnvironmentVariable ? Path.Combine(_directory, "none") : null));
        Assert.Equal(QemuProblem.NotInstalled, error.Problem);
        Assert.Contains("apt-get install --no-install-recommends qemu-system-ppc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Launching_without_QEMU_fails_cleanly()
    {
        var error = Assert.Throws<QemuException>(() => QemuMachine.Launch(new QemuMachineOptions(), n => n == "PATH" ? _directory : null));
        Assert.Equal(QemuProblem.NotInstalled, error.Problem);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
