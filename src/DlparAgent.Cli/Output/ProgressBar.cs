using System.Globalization;
using DlparAgent.Core.Engine;
using DlparAgent.Cli.Context;

namespace DlparAgent.Cli.Output;

/// <summary>
/// A one-line progress bar on stderr for operations that run longer than a delay (a second by
/// default), drawn only when stderr is a terminal. It is redrawn on each report and every 200 ms
/// (for the elapsed time), and erased when disposed so that the results print on a clean line.
/// </summary>
internal sealed class ProgressBar : IProgress<DlparProgress>, IDisposable
{
    private const int Width = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);

    private readonly TextWriter _error;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _delay;
    private readonly long _started;
    private readonly ITimer? _timer;
    private readonly Lock _lock = new();
    private DlparProgress? _latest;
    private int _drawnLength;
    private bool _disposed;

    public ProgressBar(TextWriter error, bool enabled, TimeProvider clock, TimeSpan delay)
    {
        _error = error;
        _clock = clock;
        _delay = delay;
        _started = clock.GetTimestamp();
        _timer = enabled ? clock.CreateTimer(_ => Draw(), null, delay, RedrawInterval) : null;
    }

    public void Report(DlparProgress value)
    {
        lock (_lock)
        {
            _latest = value;
        }

        if (_timer is not null && _clock.GetElapsedTime(_started) >= _delay)
        {
            Draw();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            _disposed = true;
            if (_drawnLength > 0)
            {
                _error.Write("\r" + new string(' ', _drawnLength) + "\r");
                _error.Flush();
            }
        }
    }

    /// <summary>The line for a state of progress, e.g. <c>[######------] 3/8 memory add count 8 1.4s</c>.</summary>
    public static string Line(DlparProgress progress, TimeSpan elapsed)
    {
        int filled = progress.Expected <= 0 ? 0 : (int)Math.Min(Width, (long)progress.Done * Width / progress.Expected);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', Width - filled)}] {progress.Done}/{progress.Expected} {progress.Request} {elapsed.TotalSeconds:0.0}s");
    }

    private void Draw()
    {
        lock (_lock)
        {
            if (_disposed || _latest is not { } progress)
            {
                return;
            }

            string line = Line(progress, _clock.GetElapsedTime(_started));
            _error.Write("\r" + line.PadRight(_drawnLength));
            _error.Flush();
            _drawnLength = Math.Max(_drawnLength, line.Length);
        }
    }
}
