using System.Security.Cryptography;
using System.Text;
using IncodeSlices.Infrastructure.Errors;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// A kind of record: its collection and how long a record of it lives (null: until deleted).
/// The lifetime counts from the record's creation; an expired record reads as absent.
/// </summary>
public sealed record RecordKind(string Collection, TimeSpan? Lifetime);

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

    /// <summary>Whether a record could be written now (for /health/ready): a probe file, or a Redis PING.</summary>
    Task<bool> ProbeAsync(CancellationToken ct);

    /// <summary>Creates the record; false when one with that key already exists (and has not expired).</summary>
    Task<bool> TryAddAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct);

    /// <summary>The record, or null when there is none (or it expired).</summary>
    Task<byte[]?> GetAsync(RecordKind kind, string key, CancellationToken ct);

    Task DeleteAsync(RecordKind kind, string key, CancellationToken ct);
}

/// <summary>The store could not be read or written; the caller answers 503 and nothing half-done is left.</summary>
public sealed class RecordStoreUnavailableException(string message, Exception? inner = null)
    : AnsweredException(ErrorAnswers.StoreUnavailable, message, inner);

/// <summary>Keys become file names and Redis keys: only lower-case letters, digits and dashes.</summary>
public static class RecordKeys
{
    public static bool IsSafe(string key) =>
        key.Length is > 0 and <= 128 && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>
    /// A safe key for an id this server does not choose (Incode's interview ids, which a caller may
    /// also send): its SHA-256 digest in lower-case hex, whatever characters the id holds.
    /// </summary>
    public static string Of(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
