namespace IncodeSlices.Infrastructure.Sessions;

public interface ISessionStore
{
    /// <summary>False while the store is known to be down: checked before creating a billable Incode session.</summary>
    bool IsAvailable { get; }

    /// <summary>Looks a session up by an id that <see cref="SessionIds.IsCanonical"/> accepted.</summary>
    Task<SessionLookup> FindAsync(string uniqueId, CancellationToken ct);

    /// <summary>Stores a new session, whole or not at all; throws <see cref="SessionStoreException"/> on failure.</summary>
    Task SaveAsync(StoredSession session, CancellationToken ct);
}
