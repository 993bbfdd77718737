namespace DlparAgent.Core.Kernel;

/// <summary>rpaphp's view of a PCI hotplug slot: <c>/sys/bus/pci/slots/&lt;name&gt;/{power,adapter}</c> (adapter 0 empty, 1 configured, 2 not
/// configured).</summary>
public readonly record struct HotplugSlot(string Name, bool Power, int Adapter);
