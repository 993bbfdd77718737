namespace DlparAgent.Emulation.Machine;

/// <summary>Whose firmware the emulated platform behaves like.</summary>
public enum PlatformFlavor
{
    /// <summary>QEMU's pseries machine: the four DRC arrays, power domain -1, boot memory not a DR connector.</summary>
    Qemu,

    /// <summary>PowerVM-like: <c>ibm,drc-info</c>, VIO slots, real power domains on PCI slots, boot LMBs that are DR connectors.</summary>
    PowerVm,
}
