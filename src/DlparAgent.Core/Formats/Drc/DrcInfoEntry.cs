using System.Globalization;
using DlparAgent.Core.Drc;

namespace DlparAgent.Core.Formats.Drc;

/// <summary>
/// One run of <c>ibm,drc-info</c>: <see cref="Count"/> connectors of one type whose index and
/// name suffix both advance by <see cref="Increment"/>.
/// </summary>
public sealed record DrcInfoEntry(
    string Type,
    string NamePrefix,
    uint IndexStart,
    uint NameSuffixStart,
    uint Count,
    uint Increment,
    uint PowerDomain)
{
    /// <summary>The connectors this run describes (LoPAR: index = start + j*inc, name = prefix + (suffix + j*inc)).</summary>
    public IEnumerable<DrcConnector> Expand()
    {
        for (uint j = 0; j < Count; j++)
        {
            uint step = unchecked(j * Increment);
            string name = string.Create(CultureInfo.InvariantCulture, $"{NamePrefix}{unchecked(NameSuffixStart + step)}");
            yield return new DrcConnector(unchecked(IndexStart + step), name, Type, PowerDomain);
        }
    }

    public uint LastIndex => Count == 0 ? IndexStart : unchecked(IndexStart + ((Count - 1) * Increment));
}
