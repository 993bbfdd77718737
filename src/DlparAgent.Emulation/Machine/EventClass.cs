namespace DlparAgent.Emulation.Machine;

/// <summary>The kind of a queued event; its class (mask bit) is decided when it is dequeued.</summary>
public enum EventKind
{
    Hotplug,
    Epow,
}
