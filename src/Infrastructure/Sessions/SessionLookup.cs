namespace IncodeSlices.Infrastructure.Sessions;

/// <summary><c>Finished</c>: the session was finished and its token forgotten.</summary>
public enum SessionLookupStatus { Found, Missing, Corrupted, Finished }

public sealed record SessionLookup(SessionLookupStatus Status, StoredSession? Session = null)
{
    public static readonly SessionLookup Missing = new(SessionLookupStatus.Missing);
    public static readonly SessionLookup Corrupted = new(SessionLookupStatus.Corrupted);
}
