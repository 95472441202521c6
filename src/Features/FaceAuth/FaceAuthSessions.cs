using System.Text.Json;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.FaceAuth;

/// <summary>
/// Face-auth sessions in the record store (files or Redis), keyed by their interviewId, living
/// FACE_AUTH_TTL_MINUTES. Start writes them; Verify and the sandbox read them.
/// </summary>
internal sealed class FaceAuthSessions(IRecordStore records, IOptions<FaceAuthOptions> options, TimeProvider clock) : IFaceAuthHints
{
    public RecordKind Kind { get; } = new("face-auth", options.Value.Ttl);

    public bool IsAvailable => records.IsAvailable;

    /// <summary>Stores a new pending session, whole or not at all; throws <see cref="SessionStoreException"/> when it cannot.</summary>
    public async Task SaveAsync(FaceAuthSession session, CancellationToken ct)
    {
        bool added;
        try
        {
            added = await records.TryAddAsync(Kind, RecordKeys.Of(session.InterviewId), JsonSerializer.SerializeToUtf8Bytes(session, FeatureJson.Default.FaceAuthSession), ct);
        }
        catch (RecordStoreUnavailableException ex)
        {
            throw new SessionStoreException(inner: ex);
        }
        // Incode gave an interviewId that is already stored: keep the first session, refuse the second.
        if (!added) throw new SessionStoreException("The store already holds this key");
    }

    /// <summary>
    /// The session stored for <paramref name="interviewId"/>, or null: none, unreadable, or past its
    /// lifetime. The lifetime is checked here against this server's clock as well as by the store,
    /// because Redis expires a key by its own clock, which need not agree with this one.
    /// </summary>
    public async Task<FaceAuthSession?> FindAsync(string interviewId, CancellationToken ct)
    {
        var bytes = await records.GetAsync(Kind, RecordKeys.Of(interviewId), ct);
        if (bytes is null) return null;

        FaceAuthSession? session;
        try
        {
            session = JsonSerializer.Deserialize(bytes, FeatureJson.Default.FaceAuthSession);
        }
        catch (JsonException)
        {
            return null;
        }
        return session is { Token.Length: > 0, IdentityId.Length: > 0, Status: FaceAuthSession.Pending }
            && session.InterviewId == interviewId
            && clock.GetUtcNow() < session.CreatedAt + Kind.Lifetime!.Value
                ? session
                : null;
    }

    public async Task<string?> IdentityOfAsync(string interviewId, CancellationToken ct) =>
        (await FindAsync(interviewId, ct))?.IdentityId;
}
