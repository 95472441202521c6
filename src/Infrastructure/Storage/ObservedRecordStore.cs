using IncodeSlices.Infrastructure.Telemetry;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// The record store as the server uses it, with each write timed, counted when it fails and traced,
/// the same for files and Redis. Only writes: they are what /start and /approve wait for. When no
/// exporter listens a write goes straight through, as it would without this class.
/// </summary>
internal sealed class ObservedRecordStore(IRecordStore store, string storeName, TimeProvider clock, ServerMetrics metrics) : IRecordStore
{
    public bool IsAvailable => store.IsAvailable;

    public Task<string?> ProblemAsync(CancellationToken ct) => store.ProblemAsync(ct);

    public Task<bool> TryAddAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct) =>
        metrics.ObservesStoreWrites || ServerTracing.Source.HasListeners()
            ? ObserveAsync(kind, key, value, ct)
            : store.TryAddAsync(kind, key, value, ct);

    public Task<byte[]?> GetAsync(RecordKind kind, string key, CancellationToken ct) => store.GetAsync(kind, key, ct);

    public Task DeleteAsync(RecordKind kind, string key, CancellationToken ct) => store.DeleteAsync(kind, key, ct);

    private async Task<bool> ObserveAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        var collection = kind.Collection.Length == 0 ? "sessions" : kind.Collection;
        using var span = ServerTracing.Source.StartActivity($"store write {collection}");
        span?.SetTag("incodeslices.store", storeName).SetTag("incodeslices.store.collection", collection);
        var started = clock.GetTimestamp();
        try
        {
            var added = await store.TryAddAsync(kind, key, value, ct);
            metrics.StoreWriteEnded(storeName, collection, clock.GetElapsedTime(started), failed: false);
            span?.SetTag("incodeslices.store.outcome", added ? "stored" : "taken");
            return added;
        }
        catch (Exception ex)
        {
            // A caller that gave up is not a failing store.
            metrics.StoreWriteEnded(storeName, collection, clock.GetElapsedTime(started), failed: ex is not OperationCanceledException);
            ServerTracing.Failed(span, "the record could not be stored", ex);
            throw;
        }
    }
}
