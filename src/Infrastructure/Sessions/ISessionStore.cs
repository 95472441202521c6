namespace IncodeSlices.Infrastructure.Sessions;

public interface ISessionStore
{
    /// <summary>False while the store is known to be down: checked before creating a billable Incode session.</summary>
    bool IsAvailable { get; }

    /// <summary>Looks a session up by an id that <see cref="SessionIds.IsCanonical"/> accepted.</summary>
    Task<SessionLookup> FindAsync(string uniqueId, CancellationToken ct);

    /// <summary>
    /// Stores a new session and who owns it (under its interviewId and its token), whole or not at all;
    /// throws <see cref="SessionStoreException"/> on failure.
    /// </summary>
    Task SaveAsync(StoredSession session, SessionOwnership ownership, CancellationToken ct);

    /// <summary>Who owns a session that is not stored for resuming (/onboarding-url), under its interviewId and its token.</summary>
    Task SaveOwnershipAsync(string token, SessionOwnership ownership, CancellationToken ct);

    /// <summary>Who owns the interview, or null when this server did not start it (or has forgotten it).</summary>
    Task<SessionOwnership?> FindInterviewAsync(string interviewId, CancellationToken ct);

    /// <summary>Who owns the session of this token, or null when this server did not start it (or has forgotten it).</summary>
    Task<SessionOwnership?> FindTokenAsync(string token, CancellationToken ct);

    /// <summary>
    /// The session is finished: its stored token is removed, and a resume answers that it finished.
    /// Who owns it is kept until its lifetime ends. False when nothing was stored for it.
    /// </summary>
    Task<bool> ForgetTokenAsync(SessionOwnership ownership, CancellationToken ct);
}
