namespace DlparAgent.Core.Requests;

public enum DlparAction
{
    Add,
    Remove,
}
