using System.Text.Json;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Json;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>
/// Sessions as records keyed by uniqueId, in the Node sample's format (2-space JSON, keys token,
/// interviewId, uniqueId): with the file store they are <c>sessions/&lt;uniqueId&gt;.json</c>, so the
/// sample's folder keeps working. Beside each, who owns it, under the digest of its interviewId
/// (<c>session-interviews</c>) and of its token (<c>session-tokens</c>): the routes that are given one
/// of those find the owner there, and a finished session is found to forget its token. All three
/// live as long as the session.
/// </summary>
internal sealed class SessionStore(IRecordStore records, IOptions<StoreOptions> options, IOptions<IncodeOptions> incode, IOptions<CallerOptions> callers)
    : ISessionStore
{
    // A session the sandbox made up, left in a folder a real server now reads (sandbox sessions have had
    // their own folder since): never handed out as if Incode had issued it.
    private readonly bool _refusesSandboxTokens = !incode.Value.Sandbox;

    private readonly RecordKind _kind = Kind(options.Value);
    private readonly RecordKind _byInterview = ByInterview(options.Value, callers.Value);
    private readonly RecordKind _byToken = ByToken(options.Value, callers.Value);

    internal static RecordKind Kind(StoreOptions options) => new("", options.SessionTtl);

    // Who owns a session must outlive a crash when callers are known (or its user could not read it);
    // without caller authentication it only serves forgetting a finished session's token early, and a
    // record lost to a crash leaves that token to its lifetime: /start then pays for one flush, not three.
    internal static RecordKind ByInterview(StoreOptions options, CallerOptions callers) => new("session-interviews", options.SessionTtl, callers.IsOn);
    internal static RecordKind ByToken(StoreOptions options, CallerOptions callers) => new("session-tokens", options.SessionTtl, callers.IsOn);

    public bool IsAvailable => records.IsAvailable;

    public async Task<SessionLookup> FindAsync(string uniqueId, CancellationToken ct)
    {
        if (!SessionIds.IsCanonical(uniqueId)) return SessionLookup.Missing;

        var bytes = await records.GetAsync(_kind, uniqueId, ct); // unavailable: a 503, not the caller's fault
        if (bytes is null) return SessionLookup.Missing;

        try
        {
            var session = JsonSerializer.Deserialize(bytes, SessionFileJson.Default.StoredSession);
            if (session is { Finished: true } && session.UniqueId == uniqueId) return new SessionLookup(SessionLookupStatus.Finished, session);
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

    public async Task SaveAsync(StoredSession session, SessionOwnership ownership, CancellationToken ct)
    {
        if (!SessionIds.IsCanonical(session.UniqueId))
            throw new SessionStoreException("Session id is not a canonical UUID");

        // One batch for the file store's writer: the three records are flushed together (or only the session, see ByInterview).
        var saved = records.TryAddAsync(_kind, session.UniqueId, JsonSerializer.SerializeToUtf8Bytes(session, SessionFileJson.Default.StoredSession), ct);
        var owned = AddOwnershipAsync(session.Token, ownership, ct);
        bool added;
        try
        {
            added = await saved;
        }
        catch (RecordStoreUnavailableException ex)
        {
            await Settled(owned);
            throw new SessionStoreException(inner: ex);
        }
        // A fresh v4 UUID colliding is not going to happen; if it did, the old session must survive.
        if (!added)
        {
            await Settled(owned);
            throw new SessionStoreException("The store already holds this key");
        }
        try
        {
            await owned;
        }
        catch (SessionStoreException)
        {
            // Whole or not at all: a session nobody can be found to own is not handed out.
            await records.DeleteAsync(_kind, session.UniqueId, CancellationToken.None);
            throw;
        }
    }

    public Task SaveOwnershipAsync(string token, SessionOwnership ownership, CancellationToken ct) => AddOwnershipAsync(token, ownership, ct);

    public Task<SessionOwnership?> FindInterviewAsync(string interviewId, CancellationToken ct) =>
        string.IsNullOrEmpty(interviewId) ? Task.FromResult<SessionOwnership?>(null) : ReadOwnershipAsync(_byInterview, RecordKeys.Of(interviewId), ct);

    public Task<SessionOwnership?> FindTokenAsync(string token, CancellationToken ct) =>
        string.IsNullOrEmpty(token) ? Task.FromResult<SessionOwnership?>(null) : ReadOwnershipAsync(_byToken, RecordKeys.Of(token), ct);

    public async Task<bool> ForgetTokenAsync(SessionOwnership ownership, CancellationToken ct)
    {
        if (ownership.UniqueId is not { } uniqueId || !SessionIds.IsCanonical(uniqueId)) return false;
        var found = await FindAsync(uniqueId, ct);
        if (found.Status is not SessionLookupStatus.Found and not SessionLookupStatus.Corrupted) return false;

        // Records are never overwritten: the session goes, and what is left of it comes in its place.
        await records.DeleteAsync(_kind, uniqueId, ct);
        await records.TryAddAsync(_kind, uniqueId, JsonSerializer.SerializeToUtf8Bytes(StoredSession.Forgotten(ownership), SessionFileJson.Default.StoredSession), ct);
        return true;
    }

    private async Task AddOwnershipAsync(string token, SessionOwnership ownership, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(ownership, InfrastructureJson.Default.SessionOwnership);
        try
        {
            // Create-if-absent: an interview or token already owned keeps its first owner.
            await Task.WhenAll(
                records.TryAddAsync(_byInterview, RecordKeys.Of(ownership.InterviewId), bytes, ct),
                records.TryAddAsync(_byToken, RecordKeys.Of(token), bytes, ct));
        }
        catch (RecordStoreUnavailableException ex)
        {
            throw new SessionStoreException(inner: ex);
        }
    }

    private async Task<SessionOwnership?> ReadOwnershipAsync(RecordKind kind, string key, CancellationToken ct)
    {
        var bytes = await records.GetAsync(kind, key, ct);
        if (bytes is null) return null;
        try
        {
            return JsonSerializer.Deserialize(bytes, InfrastructureJson.Default.SessionOwnership) is { InterviewId.Length: > 0 } found ? found : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task Settled(Task task)
    {
        try
        {
            await task;
        }
        catch (SessionStoreException)
        {
            // the first failure is the one reported
        }
    }
}
