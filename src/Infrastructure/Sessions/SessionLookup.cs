namespace IncodeSlices.Infrastructure.Sessions;

public enum SessionLookupStatus { Found, Missing, Corrupted }

public sealed record SessionLookup(SessionLookupStatus Status, StoredSession? Session = null)
{
    public static readonly SessionLookup Missing = new(SessionLookupStatus.Missing);
    public static readonly SessionLookup Corrupted = new(SessionLookupStatus.Corrupted);
}
