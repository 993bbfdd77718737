using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>How far an operation has come: connectors settled, of them done, and how many the request asks for.</summary>
public sealed record DlparProgress(DlparRequest Request, int Settled, int Done, int Expected);
