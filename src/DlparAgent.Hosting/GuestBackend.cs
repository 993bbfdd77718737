using System.Net.Sockets;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Interop.Remote;
using DlparAgent.Qemu.Guest;

namespace DlparAgent.Hosting;

/// <summary>The connection to a running real-Linux guest's helper (<c>--platform guest:DIR</c>).</summary>
public static class GuestBackend
{
    /// <summary>Connects to the helper of the guest running for <paramref name="directory"/>.</summary>
    /// <exception cref="HelperException">No guest runs there, or its helper does not answer.</exception>
    public static RemoteNative Connect(string directory)
    {
        string socketPath = DetachedGuest.HelperSocketOf(directory);
        if (DetachedGuest.Pid(directory) is null || !File.Exists(socketPath))
        {
            throw new HelperException(Core.Failures.FailureCategory.Unavailable,
                $"no real-Linux guest runs for {directory} (start one with: dlpar platform guest start --dir {directory})");
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return new RemoteNative(new HelperConnection(new NetworkStream(socket, ownsSocket: true)), LinuxAbi.Ppc64Le);
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new HelperException(Core.Failures.FailureCategory.Unavailable, $"{socketPath}: {error.Message}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
