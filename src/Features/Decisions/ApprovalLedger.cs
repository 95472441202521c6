using System.Text;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// Makes /approve act once per interview although Incode delivers a webhook up to five times, and
/// possibly to several instances at once. Whoever creates the interview's claim record does the work
/// and records its outcome; every other delivery answers that outcome. Records live in the shared
/// <see cref="IRecordStore"/>, so they survive a restart and are seen by every instance.
/// </summary>
internal sealed class ApprovalLedger
{
    internal static readonly RecordKind Outcomes = new("approvals", Lifetime: null);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly IRecordStore _records;
    private readonly TimeProvider _clock;

    public ApprovalLedger(IRecordStore records, TimeProvider clock, IOptions<IncodeOptions> incode)
    {
        _records = records;
        _clock = clock;
        // A claim outlives the two Incode calls its holder makes; after that it is taken to have crashed.
        ClaimLifetime = TimeSpan.FromSeconds(2 * incode.Value.TimeoutSeconds + 5);
        Claims = new RecordKind("approval-claims", ClaimLifetime);
    }

    public TimeSpan ClaimLifetime { get; }
    internal RecordKind Claims { get; }

    public async Task<JsonObject?> FindOutcomeAsync(string interviewId, CancellationToken ct)
    {
        var bytes = await _records.GetAsync(Outcomes, RecordKeys.Of(interviewId), ct);
        return bytes is null ? null : JsonNode.Parse(bytes)?.AsObject();
    }

    /// <summary>True for exactly one caller per interview until the claim is released or expires.</summary>
    public Task<bool> TryClaimAsync(string interviewId, CancellationToken ct) =>
        _records.TryAddAsync(Claims, RecordKeys.Of(interviewId), "{}"u8.ToArray(), ct);

    /// <summary>Records the outcome, then lets go of the claim: in that order, so no later claimant misses it.</summary>
    public async Task RecordAsync(string interviewId, JsonObject outcome, CancellationToken ct)
    {
        await _records.TryAddAsync(Outcomes, RecordKeys.Of(interviewId), Encoding.UTF8.GetBytes(outcome.ToJsonString()), ct);
        await ReleaseAsync(interviewId, ct);
    }

    /// <summary>Gives the interview back after a failure, so that Incode's redelivery can try again.</summary>
    public Task ReleaseAsync(string interviewId, CancellationToken ct) =>
        _records.DeleteAsync(Claims, RecordKeys.Of(interviewId), CancellationToken.None); // even when the caller gave up

    /// <summary>
    /// Waits for the claim holder's outcome. None within a claim's lifetime: another delivery is
    /// still at it, and Incode's redelivery will find the outcome (503).
    /// </summary>
    public async Task<JsonObject> WaitForOutcomeAsync(string interviewId, CancellationToken ct)
    {
        var deadline = _clock.GetUtcNow() + ClaimLifetime;
        while (_clock.GetUtcNow() < deadline)
        {
            if (await FindOutcomeAsync(interviewId, ct) is { } outcome) return outcome;
            await Task.Delay(PollInterval, _clock, ct);
        }
        throw new TryAgainLaterException(ErrorAnswers.ApprovalInProgress);
    }
}
