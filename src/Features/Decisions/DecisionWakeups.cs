namespace IncodeSlices.Features.Decisions;

/// <summary>Wakes a queue's loop in this process when work arrives, instead of at its next poll.</summary>
internal sealed class Wakeup
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Wake"/>: taken before looking for work, so none arriving meanwhile is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Wake() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

internal sealed class DecisionWakeups
{
    public Wakeup Deliveries { get; } = new();
    public Wakeup Relay { get; } = new();
    public Wakeup Watches { get; } = new();
    public Wakeup Purges { get; } = new();
}
