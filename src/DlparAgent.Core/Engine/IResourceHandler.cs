using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>Carries out requests for one resource type, and settles a connector a crash left mid-way.</summary>
internal interface IResourceHandler
{
    DlparResult Run(OperationContext context);

    /// <summary>Brings a connector an interrupted operation was working on to fully owned or fully released.</summary>
    string Settle(OperationContext context, uint index, DlparAction action);

    /// <summary>
    /// Whether a connector an interrupted operation was working on had in fact finished (its
    /// settlement was not yet on disk), so recovery keeps it rather than settling it again.
    /// </summary>
    bool IsComplete(OperationContext context, uint index, DlparAction action) => false;

    /// <summary>After settling an interrupted operation: bring shared records (the LMB table) back in line with the truth.</summary>
    void FinishRecovery(OperationContext context);
}
