namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// A kind of record: its collection and how long a record of it lives (null: until deleted).
/// The lifetime counts from the record's creation; an expired record reads as absent.
/// </summary>
public sealed record RecordKind(string Collection, TimeSpan? Lifetime);
