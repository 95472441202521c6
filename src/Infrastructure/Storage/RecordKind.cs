namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// A kind of record: its collection and how long a record of it lives (null: until deleted).
/// The lifetime counts from the record's creation; an expired record reads as absent.
/// </summary>
/// <param name="Durable">
/// False for a record the server can do without after a crash (an index it only uses to tidy up): the
/// file store publishes it atomically, as every record, but does not wait for the disk to keep it, so
/// it costs a request no flush. A record that is lost or cut short by a crash reads as absent.
/// </param>
public sealed record RecordKind(string Collection, TimeSpan? Lifetime, bool Durable = true);
