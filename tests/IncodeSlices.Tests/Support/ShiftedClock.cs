namespace IncodeSlices.Tests.Support;

/// <summary>
/// The real clock plus an offset a test moves forward. Only the wall clock moves: timers and delays
/// stay real, so the Incode client's timeouts behave as in production while a token "ages" a day.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
