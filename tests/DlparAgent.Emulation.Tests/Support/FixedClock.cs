namespace DlparAgent.Emulation.Tests.Support;

/// <summary>A clock that stands still, so event logs are reproducible.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly FixedClock Default = new(new DateTimeOffset(2026, 11, 24, 1, 43, 36, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}
