using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.FaceAuth;

/// <summary>
/// Makes each face-auth session verifiable once, across threads, processes and instances. Records
/// are create-if-absent and never overwritten, so a session's status is told by records beside it:
/// a claim (no longer pending, created by exactly one verify), then its outcome (approved or
/// rejected). Both live as long as the session record, and being created after it, outlive it, so
/// no session ever reads as pending again while it can still be found.
/// </summary>
internal sealed class FaceAuthLedger(IRecordStore records, IOptions<FaceAuthOptions> options, TimeProvider clock)
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    public RecordKind Claims { get; } = new("face-auth-claims", options.Value.Ttl);
    public RecordKind Outcomes { get; } = new("face-auth-outcomes", options.Value.Ttl);

    /// <summary>True for exactly one caller per interview, ever: the one whose verify goes on.</summary>
    public Task<bool> TryClaimAsync(string interviewId, CancellationToken ct) =>
        records.TryAddAsync(Claims, RecordKeys.Of(interviewId), Serialize(new Claim(clock.GetUtcNow()), FeatureJson.Default.Claim), ct);

    /// <summary>
    /// Records how the claimed verify ended. Not cancelled with the request: the claim is taken
    /// either way, and the outcome is what an operator looks up afterwards.
    /// </summary>
    public Task RecordAsync(string interviewId, string status, string? reason) =>
        records.TryAddAsync(Outcomes, RecordKeys.Of(interviewId), Serialize(new Outcome(status, reason, clock.GetUtcNow()), FeatureJson.Default.Outcome), CancellationToken.None);

    private static byte[] Serialize<T>(T record, JsonTypeInfo<T> json) => JsonSerializer.SerializeToUtf8Bytes(record, json);

    internal sealed record Claim(DateTimeOffset ClaimedAt);

    internal sealed record Outcome(string Status, string? Reason, DateTimeOffset DecidedAt);
}
