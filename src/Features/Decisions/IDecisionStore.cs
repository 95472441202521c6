namespace IncodeSlices.Features.Decisions;

/// <summary>
/// The durable work queue behind durable webhook processing, with its outbox: deliveries waiting to be
/// worked, decisions in the order they were made, the relay of each decision to the app, and the
/// sessions watched for reconciliation, and the purges of decided interviews' personal data. Each queue hands an item to one worker at a
/// time: taking it pushes its due time <c>claim</c> ahead, so an instance that dies holding it loses
/// it when that time comes. A store failure is a <see cref="Infrastructure.Storage.RecordStoreUnavailableException"/>.
/// </summary>
public interface IDecisionStore
{
    /// <summary>Records the delivery durably and queues it, due at once; false when the same delivery was recorded before.</summary>
    Task<bool> AddDeliveryAsync(Delivery delivery, CancellationToken ct);

    Task<Delivery?> TakeDeliveryAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct);

    /// <summary>Puts a delivery taken back in the queue, due at <paramref name="due"/>; nothing if it was settled meanwhile.</summary>
    Task RetryDeliveryAsync(Delivery delivery, DateTimeOffset due, CancellationToken ct);

    /// <summary>Whether the decision exists: an interview's stage is decided once, and never again afterwards.</summary>
    Task<bool> IsDecidedAsync(string decisionId, CancellationToken ct);

    /// <summary>
    /// Done with the delivery: <paramref name="decision"/> (if any, and if not made already) is recorded
    /// at the end of the feed and, with <paramref name="relay"/>, queued for the relay; with
    /// <paramref name="purgeAt"/>, a purge of its interview is queued, due then (a purge queued already
    /// is due no earlier than that; an interview purged already is never purged again). The delivery
    /// leaves the queue but stays known, so that it is not recorded again. All of it together or
    /// nothing. True when the decision is new.
    /// </summary>
    Task<bool> SettleAsync(Delivery delivery, Decision? decision, bool relay, DateTimeOffset? purgeAt, DateTimeOffset now, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> decisions recorded after <paramref name="after"/>, oldest first.</summary>
    Task<IReadOnlyList<FeedEntry>> ReadAsync(long after, int limit, CancellationToken ct);

    Task<FeedEntry?> TakeRelayAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct);

    Task RetryRelayAsync(long sequence, DateTimeOffset due, CancellationToken ct);

    /// <summary>Delivered to the app, or given up: either way the relay of this decision is over.</summary>
    Task EndRelayAsync(long sequence, CancellationToken ct);

    /// <summary>Starts watching a session, first due at <paramref name="due"/>.</summary>
    Task WatchAsync(Watch watch, DateTimeOffset due, CancellationToken ct);

    Task<Watch?> TakeWatchAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct);

    Task RetryWatchAsync(Watch watch, DateTimeOffset due, CancellationToken ct);

    Task EndWatchAsync(Watch watch, CancellationToken ct);

    Task<Purge?> TakePurgeAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct);

    /// <summary>Puts a purge taken back in the queue, due at <paramref name="due"/> or at its own due time if a later decision moved it later.</summary>
    Task RetryPurgeAsync(Purge purge, DateTimeOffset due, CancellationToken ct);

    /// <summary>Purged, dry-run logged, or given up: the interview is remembered as purged and never queued again.</summary>
    Task EndPurgeAsync(Purge purge, DateTimeOffset now, CancellationToken ct);

    /// <summary>Deliveries not yet settled, and when the oldest of them was received.</summary>
    Task<(long Count, DateTimeOffset? Oldest)> BacklogAsync(CancellationToken ct);

    /// <summary>Forgets decisions (and deliveries) older than <paramref name="before"/>.</summary>
    Task TrimAsync(DateTimeOffset before, CancellationToken ct);
}
