using System.Diagnostics;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// Real time plus an offset that a test moves forward with <see cref="Advance"/>. Timers and delays
/// made through it (the Incode deadline, Polly's attempt timeouts and retry delays, the approval wait,
/// the sweep) fire when their time comes in that shifted time: a test makes a 20-second timeout pass
/// in no time, while the short waits it does not care about (a 200 ms retry backoff) run as they
/// would. Nothing fires early: a slow machine only makes the real part of the time pass slower.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ShiftedTimer> _timers = [];
    private long _offsetTicks;

    private TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;

    public override long GetTimestamp() =>
        TimeProvider.System.GetTimestamp() + (long)(Offset.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ShiftedTimer(this, callback, state);
        lock (_lock) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward; every timer whose time has now come fires at once.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(by.Ticks, nameof(by));
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        ShiftedTimer[] timers;
        lock (_lock) timers = [.. _timers];
        foreach (var timer in timers) timer.Reschedule();
    }

    /// <summary>A real timer armed for the time left until its due time in shifted time, re-armed when time jumps.</summary>
    private sealed class ShiftedTimer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        private readonly Lock _lock = new();
        private Timer? _real;
        private DateTimeOffset? _due; // in shifted time; null when not armed
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                if (_disposed) return false;
                _period = period;
                _due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
                Arm();
                return true;
            }
        }

        public void Reschedule()
        {
            lock (_lock) Arm();
        }

        private void Arm()
        {
            if (_disposed) return;
            _real ??= new Timer(_ => Fire());
            if (_due is not { } due)
            {
                _real.Change(Timeout.Infinite, Timeout.Infinite);
                return;
            }
            var left = due - clock.GetUtcNow();
            _real.Change(left < TimeSpan.Zero ? TimeSpan.Zero : left, Timeout.InfiniteTimeSpan);
        }

        private void Fire()
        {
            lock (_lock)
            {
                if (_disposed || _due is not { } due) return;
                if (due > clock.GetUtcNow())
                {
                    Arm(); // woke early (a real timer's rounding): wait for the rest
                    return;
                }
                _due = _period == Timeout.InfiniteTimeSpan ? null : due + _period;
                Arm();
            }
            callback(state);
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _real?.Dispose();
            }
            lock (clock._lock) clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
