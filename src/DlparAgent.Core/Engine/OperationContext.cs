using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>What a handler works with during one operation.</summary>
public sealed class OperationContext
{
    internal OperationContext(RtasCaller rtas, IGuestKernel kernel, OperationJournal journal, EngineOptions options, DlparRequest request)
    {
        Rtas = rtas;
        Dr = new DrSequences(rtas);
        Kernel = kernel;
        Journal = journal;
        Options = options;
        Request = request;
    }

    public RtasCaller Rtas { get; }

    public DrSequences Dr { get; }

    public IGuestKernel Kernel { get; }

    public OperationJournal Journal { get; }

    public EngineOptions Options { get; }

    public DlparRequest Request { get; }

    public void CheckDeadline() => Rtas.CheckDeadline();
}
