using System.Text.Json;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Json;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>
/// Sessions as records keyed by uniqueId, in the Node sample's format (2-space JSON, keys token,
/// interviewId, uniqueId): with the file store they are <c>sessions/&lt;uniqueId&gt;.json</c>, so the
/// sample's folder keeps working.
/// </summary>
internal sealed class SessionStore(IRecordStore records, IOptions<StoreOptions> options, IOptions<IncodeOptions> incode) : ISessionStore
{
    // A session the sandbox made up, left in a folder a real server now reads (sandbox sessions have had
    // their own folder since): never handed out as if Incode had issued it.
    private readonly bool _refusesSandboxTokens = !incode.Value.Sandbox;

    private readonly RecordKind _kind = Kind(options.Value);

    internal static RecordKind Kind(StoreOptions options) => new("", options.SessionTtl);

    public bool IsAvailable => records.IsAvailable;

    public async Task<SessionLookup> FindAsync(string uniqueId, CancellationToken ct)
    {
        if (!SessionIds.IsCanonical(uniqueId)) return SessionLookup.Missing;

        var bytes = await records.GetAsync(_kind, uniqueId, ct); // unavailable: a 503, not the caller's fault
        if (bytes is null) return SessionLookup.Missing;

        try
        {
            var session = JsonSerializer.Deserialize(bytes, SessionFileJson.Default.StoredSession);
            if (_refusesSandboxTokens && session?.Token?.StartsWith(SandboxIncode.TokenPrefix, StringComparison.Ordinal) == true)
                return SessionLookup.Missing;
            return session is { Token.Length: > 0 } && session.UniqueId == uniqueId
                ? new SessionLookup(SessionLookupStatus.Found, session with { InterviewId = session.InterviewId ?? "" })
                : SessionLookup.Corrupted;
        }
        catch (JsonException)
        {
            return SessionLookup.Corrupted;
        }
    }

    public async Task SaveAsync(StoredSession session, CancellationToken ct)
    {
        if (!SessionIds.IsCanonical(session.UniqueId))
            throw new SessionStoreException("Session id is not a canonical UUID");

        bool added;
        try
        {
            added = await records.TryAddAsync(_kind, session.UniqueId, JsonSerializer.SerializeToUtf8Bytes(session, SessionFileJson.Default.StoredSession), ct);
        }
        catch (RecordStoreUnavailableException ex)
        {
            throw new SessionStoreException(inner: ex);
        }
        // A fresh v4 UUID colliding is not going to happen; if it did, the old session must survive.
        if (!added) throw new SessionStoreException("The store already holds this key");
    }
}
