using System.Text;
using System.Text.Json;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.FaceAuthStart;

public sealed class FaceAuthOptions
{
    /// <summary>The flow or workflow that holds the Face Authentication module; FLOW_ID when unset.</summary>
    [ConfigurationKeyName("FACE_AUTH_FLOW_ID")] public string? FlowId { get; set; }

    /// <summary>How long a started face authentication can be verified.</summary>
    [ConfigurationKeyName("FACE_AUTH_TTL_MINUTES")] public int TtlMinutes { get; set; } = 15;

    public TimeSpan Ttl => TimeSpan.FromMinutes(TtlMinutes);

    internal const string TtlRule = "FACE_AUTH_TTL_MINUTES must be a whole number of minutes from 1 to 1440.";

    internal bool HasValidTtl => TtlMinutes is >= 1 and <= 1440;
}

/// <summary>
/// A face authentication as /face-auth/start stored it, for /face-auth/verify to check an attempt
/// against. Written once, never changed (the record store does not overwrite): that it is no longer
/// pending is said by the verify ledger's records beside it, not by an edit of this one.
/// </summary>
internal sealed record FaceAuthSession(string InterviewId, string Token, string IdentityId, string Status, DateTimeOffset CreatedAt)
{
    public const string Pending = "pending";

    // The token and the claimed identity stay out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId).Append(", Status = ").Append(Status);
        return true;
    }
}

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
            throw new SessionStoreException("Session could not be stored", ex);
        }
        // Incode gave an interviewId that is already stored: keep the first session, refuse the second.
        if (!added) throw new SessionStoreException("Session could not be stored");
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
