using System.Diagnostics;

namespace DlparAgent.Benchmarks;

/// <summary>Timing helpers: warm up, then take the median of repeated samples.</summary>
internal static class Measure
{
    /// <summary>Median wall time of one call, in milliseconds.</summary>
    public static double MedianMilliseconds(Action action, int samples = 31, int warmup = 5)
    {
        for (int i = 0; i < warmup; i++)
        {
            action();
        }

        double[] times = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return Median(times);
    }

    /// <summary>
    /// Median wall time of one call, each sample starting on a collected heap (untimed), as a
    /// one-shot process starts: garbage left by earlier samples is not charged to the next one.
    /// </summary>
    public static double MedianMillisecondsOnCleanHeap(Action action, int samples = 11)
    {
        action();
        double[] times = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return Median(times);
    }

    /// <summary>Median rate of <paramref name="action"/> in calls per second, over batches of <paramref name="batch"/> calls.</summary>
    public static double MedianRate(Action action, int batch, int samples = 15)
    {
        for (int i = 0; i < batch; i++)
        {
            action();
        }

        double[] rates = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++)
            {
                action();
            }

            rates[s] = batch / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        return Median(rates);
    }

    public static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
