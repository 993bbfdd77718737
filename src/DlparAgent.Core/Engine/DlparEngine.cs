using System.Globalization;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Resources;
using DlparAgent.Core.Rtas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DlparAgent.Core.Engine;

/// <summary>
/// Runs DLPAR requests: takes the DR lock, settles any operation a crash interrupted, journals
/// the request, and hands it to the resource's handler, which works connector by connector and
/// leaves every connector fully owned or fully released.
/// </summary>
public sealed class DlparEngine
{
    private readonly IRtas _rtas;
    private readonly IGuestKernel _kernel;
    private readonly IJournal _journal;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly IDrLock? _drLock;

    public DlparEngine(IRtas rtas, IGuestKernel kernel, IJournal journal, EngineOptions? options = null, ILogger? logger = null, IDrLock? drLock = null)
    {
        ArgumentNullException.ThrowIfNull(rtas);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(journal);
        _rtas = rtas;
        _kernel = kernel;
        _journal = journal;
        _options = options ?? new EngineOptions();
        _logger = logger ?? NullLogger.Instance;
        _drLock = drLock;
    }

    /// <summary>RTAS calls made by the last operation (including retries).</summary>
    public long LastRtasCalls { get; private set; }

    public DlparResult Execute(DlparRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using IDisposable? held = _drLock?.Acquire(_options.Timeout);
        bool othersOpen = RecoverHeld(cancellation).Unsettled;

        long operation = NextOperation();
        bool ended = false;
        DateTimeOffset? deadline = _options.Timeout is { } timeout ? _options.Clock.GetUtcNow() + timeout : null;
        var caller = new RtasCaller(_rtas, _options, deadline, cancellation);
        // The partition is read once here; a handler refreshes it explicitly where its own steps change it.
        var context = new OperationContext(caller, _kernel, new OperationJournal(_journal, operation, ProgressObserver(request)), _options, request,
            PartitionView.Read(_kernel));
        _journal.Append(new JournalRecord(JournalRecordKind.Begin, operation, 0, request.ToString()));
        _journal.Flush();
        EngineLog.Started(_logger, operation, request);
        try
        {
            DlparResult result = HandlerFor(request.Resource).Run(context);
            try
            {
                _journal.Append(new JournalRecord(JournalRecordKind.End, operation, 0, string.Create(CultureInfo.InvariantCulture,
                    $"{result.Done}/{result.Requested}")));
                _journal.Flush();
                ended = true;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Every connector is settled; only the record of it is missing. The next operation's recovery finds it open and
                // confirms each connector from the firmware's sensors.
                result = result with
                {
                    Error = (result.Error is null ? string.Empty : result.Error + "; ") +
                        $"the journal could not record the end ({IoFailures.Describe(error)}); the next operation or 'dlpar recover' settles it",
                };
            }

            EngineLog.Finished(_logger, operation, result);
            return result;
        }
        catch (DlparException refusal)
        {
            _journal.Append(new JournalRecord(JournalRecordKind.End, operation, 0, "refused: " + refusal.Message));
            _journal.Flush();
            ended = true;
            throw;
        }
        finally
        {
            LastRtasCalls = caller.Calls;

            // Every operation in the journal has ended when this one has and recovery left none
            // open: no need to read back what was just written (a large operation writes a lot).
            if (ended && !othersOpen)
            {
                try
                {
                    _journal.Clear();
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // The operations it holds have all ended; the next compaction drops them.
                }
            }
        }
    }

    /// <summary>Counts settlements for <see cref="EngineOptions.Progress"/> and reports the start at once.</summary>
    private Action<uint, string>? ProgressObserver(DlparRequest request)
    {
        if (_options.Progress is not { } progress)
        {
            return null;
        }

        int expected = request.Target switch
        {
            DlparTarget.ByCount count => (int)Math.Min(count.Count, int.MaxValue),
            DlparTarget.ByIndexedCount range => (int)Math.Min(range.Count, int.MaxValue),
            _ => 1,
        };
        int settled = 0, done = 0;
        progress.Report(new DlparProgress(request, 0, 0, expected));
        return (index, how) =>
        {
            // Index 0 settles a whole request the kernel ran in one write.
            settled = index == 0 ? expected : settled + 1;
            done = how != "done" ? done : index == 0 ? expected : done + 1;
            progress.Report(new DlparProgress(request, settled, done, expected));
        };
    }

    /// <summary>Whether an I/O connector exists, is owned and is in use (drmgr <c>-Q</c>).</summary>
    public SlotQuery Query(DlparRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SlotQueryAndIdentify.Query(PartitionView.Read(_kernel), request);
    }

    /// <summary>Lights a PCI slot's identify LED, or puts it back to its normal state.</summary>
    public DlparResult Identify(DlparRequest request, bool identify)
    {
        ArgumentNullException.ThrowIfNull(request);
        using IDisposable? held = _drLock?.Acquire(_options.Timeout);
        var caller = new RtasCaller(_rtas, _options, null, CancellationToken.None);
        return SlotQueryAndIdentify.Identify(new OperationContext(caller, _kernel, new OperationJournal(_journal, 0), _options, request,
            PartitionView.Read(_kernel)), identify);
    }

    /// <summary>
    /// Replaces a PCI adapter: remove, let <paramref name="whileEmpty"/> swap the card (drmgr prompts
    /// here), add. The add runs only when the remove was complete.
    /// </summary>
    public (DlparResult Removed, DlparResult? Added) Replace(DlparRequest request, Action? whileEmpty = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resource != DlparResource.Pci)
        {
            throw new DlparException("only PCI slots can be replaced");
        }

        DlparResult removed = Execute(request with { Action = DlparAction.Remove }, cancellation);
        if (!removed.Complete)
        {
            return (removed, null);
        }

        whileEmpty?.Invoke();
        return (removed, Execute(request with { Action = DlparAction.Add }, cancellation));
    }

    /// <summary>
    /// Linux's <c>dlpar_unisolate_drc</c> after a failed removal the platform asked for: each
    /// connector that still senses present is unisolated, so the platform sees the removal fail.
    /// Busy and extended-delay answers are retried as for any operation.
    /// </summary>
    /// <returns>The connectors that were unisolated.</returns>
    public IReadOnlyList<uint> SignalRemovalFailure(IEnumerable<uint> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        using IDisposable? held = _drLock?.Acquire(_options.Timeout);
        var caller = new RtasCaller(_rtas, _options, null, CancellationToken.None);
        var signalled = new List<uint>();
        foreach (uint index in indexes.Distinct())
        {
            RtasResult sense = caller.GetSensorState(DrIndicators.EntitySense, index);
            if (sense.Status.IsSuccess && sense.Value == DrIndicators.SensePresent
                && caller.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Unisolate).IsSuccess)
            {
                signalled.Add(index);
            }
        }

        LastRtasCalls = caller.Calls;
        return signalled;
    }

    /// <summary>
    /// Settles every operation a crash left open: each connector it was working on ends fully owned
    /// or fully released. A journal it cannot read is refused (<see cref="JournalDamagedException"/>), not guessed around.
    /// </summary>
    public IReadOnlyList<string> Recover(CancellationToken cancellation = default)
    {
        using IDisposable? held = _drLock?.Acquire(_options.Timeout);
        return RecoverHeld(cancellation).Report;
    }

    /// <summary>
    /// Drops the whole journal, damaged or not, for an administrator who has checked the partition
    /// (<c>dlpar recover --discard</c>); returns what it held.
    /// </summary>
    public IReadOnlyList<JournalRecord> DiscardJournal()
    {
        using IDisposable? held = _drLock?.Acquire(_options.Timeout);
        IReadOnlyList<JournalRecord> records = _journal.ReadAll();
        _journal.Clear();
        return records;
    }

    /// <returns>What recovery did, and whether it left an operation open (to try again next time).</returns>
    private (List<string> Report, bool Unsettled) RecoverHeld(CancellationToken cancellation)
    {
        var report = new List<string>();
        bool unsettled = false;
        IReadOnlyList<JournalRecord> records = _journal.ReadAll();
        JournalDamagedException.ThrowIfDamaged(records);
        foreach (JournalRecord begin in records.Where(r => r.Kind == JournalRecordKind.Begin && !Ended(records, r.Operation)))
        {
            DlparRequest request = RequestGrammar.Parse(begin.Text).Request;

            var caller = new RtasCaller(_rtas, _options, null, cancellation);
            var context = new OperationContext(caller, _kernel, new OperationJournal(_journal, begin.Operation), _options, request,
                PartitionView.Read(_kernel));
            IResourceHandler handler = HandlerFor(request.Resource);
            bool settled = true;
            foreach ((uint index, DlparAction action) in Unsettled(records, begin.Operation))
            {
                try
                {
                    string how = handler.IsComplete(context, index, action) ? "done" : handler.Settle(context, index, action);
                    context.Journal.Settled(index, "recovered: " + how);
                    report.Add(string.Create(CultureInfo.InvariantCulture, $"operation {begin.Operation} ({request}): connector 0x{index:x8} {how}"));
                }
                catch (Exception error) when (error is RtasCallException or KernelException or DlparException)
                {
                    // Left open: the next recovery tries again.
                    settled = false;
                    report.Add(string.Create(CultureInfo.InvariantCulture,
                        $"operation {begin.Operation} ({request}): connector 0x{index:x8} could not be settled: {error.Message}"));
                }
            }

            if (!settled)
            {
                unsettled = true;
                continue;
            }

            handler.FinishRecovery(context);
            _journal.Append(new JournalRecord(JournalRecordKind.End, begin.Operation, 0, "recovered"));
            _journal.Flush();
            report.Add($"operation {begin.Operation} ({request}): recovered");
            EngineLog.Recovered(_logger, begin.Operation, request);
        }

        _journal.Compact();
        return (report, unsettled);
    }

    /// <summary>
    /// The connectors an open operation may have started on and did not settle, with the direction
    /// it was moving them: those with a connector record, and those of its plan within the last
    /// horizon (their own records may not have reached the disk).
    /// </summary>
    private static List<(uint Index, DlparAction Action)> Unsettled(IReadOnlyList<JournalRecord> records, long operation)
    {
        var open = new Dictionary<uint, DlparAction>();
        (DlparAction Direction, uint[] Indexes) plan = (DlparAction.Add, []);
        int covered = 0;
        foreach (JournalRecord record in records.Where(r => r.Operation == operation))
        {
            switch (record.Kind)
            {
                case JournalRecordKind.Plan:
                    plan = JournalPlan.Parse(record.Text) ?? plan;
                    covered = 0;
                    break;
                case JournalRecordKind.Horizon when int.TryParse(record.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int horizon):
                    for (; covered < Math.Min(horizon, plan.Indexes.Length); covered++)
                    {
                        open[plan.Indexes[covered]] = plan.Direction;
                    }

                    break;
                case JournalRecordKind.Connector:
                    open[record.Connector] = record.Direction;
                    break;
                case JournalRecordKind.Settled:
                    open.Remove(record.Connector);
                    break;
            }
        }

        return [.. open.Select(o => (o.Key, o.Value))];
    }

    private static bool Ended(IReadOnlyList<JournalRecord> records, long operation) =>
        records.Any(r => r.Kind == JournalRecordKind.End && r.Operation == operation);

    private long NextOperation()
    {
        long last = _journal.ReadAll().Select(r => r.Operation).DefaultIfEmpty(0).Max();
        return Math.Max(last + 1, _options.Clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private static IResourceHandler HandlerFor(DlparResource resource) => ResourceTable.Of(resource).CreateHandler?.Invoke()
        ?? throw new DlparException($"{RequestGrammar.ResourceWord(resource)} requests go to the kernel's dt interface, not to the engine");
}
