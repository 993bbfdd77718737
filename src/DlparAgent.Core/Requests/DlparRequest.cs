namespace DlparAgent.Core.Requests;

/// <summary>One DLPAR request, whatever it came from: drmgr options, a request string or a hotplug event.</summary>
public sealed record DlparRequest(DlparResource Resource, DlparAction Action, DlparTarget Target)
{
    /// <summary>The request in the agent's grammar, e.g. <c>memory add count 4</c>.</summary>
    public override string ToString() =>
        $"{RequestGrammar.ResourceWord(Resource)} {(Action == DlparAction.Add ? "add" : "remove")} {Target.ToRequestText()}";
}
