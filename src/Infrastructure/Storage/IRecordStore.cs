namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// The store behind sessions and approvals. Records are created once and never overwritten:
/// <see cref="TryAddAsync"/> is create-if-absent, so two writers (threads, processes or instances)
/// racing for one key cannot both win, and a reader sees a whole record or none.
/// </summary>
public interface IRecordStore
{
    /// <summary>
    /// False when the store is known to be unreachable right now (Redis down). Checked before work
    /// that would be wasted, such as creating a billable Incode session that could not be stored.
    /// </summary>
    bool IsAvailable { get; }

    /// <summary>
    /// Null when a record could be written now (a probe file, or a Redis PING); otherwise what stands in
    /// the way, in one sentence that names the setting and the resource, never a secret.
    /// </summary>
    Task<string?> ProblemAsync(CancellationToken ct);

    /// <summary>Creates the record; false when one with that key already exists (and has not expired).</summary>
    Task<bool> TryAddAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct);

    /// <summary>The record, or null when there is none (or it expired).</summary>
    Task<byte[]?> GetAsync(RecordKind kind, string key, CancellationToken ct);

    Task DeleteAsync(RecordKind kind, string key, CancellationToken ct);
}
