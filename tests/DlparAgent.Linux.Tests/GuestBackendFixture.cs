using System.Net.Sockets;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Interop.Remote;
using DlparAgent.Qemu.Guest;

namespace DlparAgent.Linux.Tests;

/// <summary>One real Linux guest per test class, with the Linux backend's system calls forwarded to it by its helper.</summary>
public sealed class GuestBackendFixture : IDisposable
{
    private readonly Lazy<(GuestMachine Machine, RemoteNative Native)> _guest = new(() =>
    {
        GuestImage image = GuestImageBuilder.Build(Environment.GetEnvironmentVariable, Console.Out);
        GuestMachine machine = GuestMachine.Boot(image, new GuestMachineOptions(), Environment.GetEnvironmentVariable);
        try
        {
            var helper = new HelperConnection(new NetworkStream(machine.HelperChannel, ownsSocket: false));
            return (machine, new RemoteNative(helper, LinuxAbi.Ppc64Le));
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    });

    public GuestMachine Machine => _guest.Value.Machine;

    public RemoteNative Native => _guest.Value.Native;

    /// <summary>The guest's own root: every path is the guest's.</summary>
    public LinuxPaths Paths { get; } = new("/");

    public void Dispose()
    {
        if (_guest.IsValueCreated)
        {
            _guest.Value.Native.Dispose();
            _guest.Value.Machine.Dispose();
        }
    }
}
