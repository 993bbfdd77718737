using DlparAgent.Qemu.Guest;

namespace DlparAgent.Qemu.Tests;

/// <summary>One real Linux guest per test class: built (or taken from the cache) and booted once.</summary>
public sealed class GuestHarnessFixture : IDisposable
{
    private readonly Lazy<GuestMachine> _machine;
    private GuestImage? _image;

    public GuestHarnessFixture() => _machine = new Lazy<GuestMachine>(() =>
    {
        GuestImage image = GuestImageBuilder.Build(Environment.GetEnvironmentVariable, Console.Out);
        _image = image;
        return GuestMachine.Boot(image, new GuestMachineOptions(), Environment.GetEnvironmentVariable);
    });

    public GuestImage Image => _machine.Value is not null && _image is not null ? _image : throw new InvalidOperationException("no image");

    public GuestMachine Machine => _machine.Value;

    public void Dispose()
    {
        if (_machine.IsValueCreated)
        {
            _machine.Value.Dispose();
        }
    }
}
