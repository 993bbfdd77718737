using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>What a handler works with during one operation.</summary>
public sealed class OperationContext
{
    internal OperationContext(RtasCaller rtas, IGuestKernel kernel, OperationJournal journal, EngineOptions options, DlparRequest request, PartitionView view)
    {
        View = view;
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

    /// <summary>The partition as the OS showed it when the operation started, or at the last <see cref="RefreshView"/>.</summary>
    public PartitionView View { get; private set; }

    public void CheckDeadline() => Rtas.CheckDeadline();

    /// <summary>Reads the device tree again, after a step that changed it; every later step sees the new view.</summary>
    public PartitionView RefreshView() => View = PartitionView.Read(Kernel);
}
