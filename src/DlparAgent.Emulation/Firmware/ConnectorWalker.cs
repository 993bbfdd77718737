using System.Buffers.Binary;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Firmware;

/// <summary>
/// One configure-connector call over a flattened fragment (QEMU's walk, papr-platform.md §2.3):
/// 2 entering a node, 3 for each property, 4 leaving a node, 0 when the top node closes. The
/// cursor lives in the connector, so walks of different connectors interleave. Strict mode adds
/// LoPAR's sibling code 1 and "need more memory" (5) instead of clipping long values.
/// </summary>
internal static class ConnectorWalker
{
    public static RtasStatus Step(EmulatedDrc drc, WalkToken[] tokens, Span<byte> workArea, Span<byte> extension, bool strict)
    {
        if (drc.WalkCursor >= tokens.Length)
        {
            return RtasStatus.HardwareError;
        }

        WalkToken token = tokens[drc.WalkCursor];
        switch (token.Kind)
        {
            case WalkTokenKind.BeginNode:
                drc.WalkCursor++;
                drc.WalkDepth++;
                ConfigureConnectorWorkArea.WriteNode(workArea, token.Name);
                return new RtasStatus(ConfigureConnectorStatus.NextChild);

            case WalkTokenKind.Property:
                // QEMU clips a value that does not fit and still reports its full length.
                bool fits = ConfigureConnectorWorkArea.WriteProperty(workArea[..ConfigureConnectorWorkArea.Size], token.Name, token.Value,
                    clipLikeQemu: !strict);
                if (!fits && strict)
                {
                    if (extension.Length < token.Value.Length)
                    {
                        return new RtasStatus(ConfigureConnectorStatus.NeedMoreMemory);
                    }

                    // LoPAR: the value continues in the page the caller added; offsets count from the work area.
                    ConfigureConnectorWorkArea.WriteNode(workArea, token.Name);
                    BinaryPrimitives.WriteUInt32BigEndian(workArea[12..], (uint)token.Value.Length);
                    BinaryPrimitives.WriteUInt32BigEndian(workArea[16..], ConfigureConnectorWorkArea.Size);
                    token.Value.CopyTo(extension);
                }

                drc.WalkCursor++;
                return new RtasStatus(ConfigureConnectorStatus.NextProperty);

            default:
                drc.WalkCursor++;
                drc.WalkDepth--;
                if (drc.WalkDepth <= 0)
                {
                    drc.State = drc.ReadyState;
                    drc.WalkCursor = 0;
                    drc.WalkDepth = 0;
                    return new RtasStatus(ConfigureConnectorStatus.Complete);
                }

                if (strict && drc.WalkCursor < tokens.Length && tokens[drc.WalkCursor].Kind == WalkTokenKind.BeginNode)
                {
                    // LoPAR has a sibling code; QEMU says "previous parent" then "next child".
                    WalkToken sibling = tokens[drc.WalkCursor++];
                    drc.WalkDepth++;
                    ConfigureConnectorWorkArea.WriteNode(workArea, sibling.Name);
                    return new RtasStatus(ConfigureConnectorStatus.NextSibling);
                }

                return new RtasStatus(ConfigureConnectorStatus.PreviousParent);
        }
    }
}
