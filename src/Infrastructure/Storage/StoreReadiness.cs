using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// Whether the store takes writes, as last proven: at start-up, then by <see cref="StoreReadinessProbe"/>
/// every few seconds, and by every write that fails. The routes that bill Incode and /health/ready
/// read it; neither waits for the disk or for Redis.
/// </summary>
public sealed class StoreReadiness(ILogger<StoreReadiness> logger)
{
    private volatile string? _problem = Unchecked;

    /// <summary>Null when the store took the last probe and no write has failed since; else what is wrong, in words.</summary>
    public string? Problem => _problem;

    public bool IsWritable => _problem is null;

    /// <summary>How many probes have reported so far.</summary>
    public long Probes => Interlocked.Read(ref _probes);

    private long _probes;

    /// <summary>A probe's outcome; a change is logged once, not every probe.</summary>
    public void Proved(string? problem)
    {
        Change(problem);
        Interlocked.Increment(ref _probes);
    }

    /// <summary>A write failed: billable work stops until the next probe succeeds.</summary>
    public void WriteFailed(string problem) => Change(problem);

    private void Change(string? problem)
    {
        var was = _problem;
        _problem = problem;
        if (problem is not null && (was is null || was == Unchecked))
            logger.LogError("The store does not take writes: {Problem}. Routes that need it answer 503 until it does", problem);
        else if (problem is null && was is not null && was != Unchecked)
            logger.LogInformation("The store takes writes again");
    }

    private const string Unchecked = "the store has not been checked yet";
}
