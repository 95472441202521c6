using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncodeSlices.Infrastructure.Storage;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// One piece of work: a webhook delivery as recorded at intake, or a finished onboarding found by
/// reconciliation. It keeps ids and the status only, never the payload's other keys.
/// </summary>
public sealed record Delivery(
    string Id,
    string Route,
    string? InterviewId,
    string? Status,
    string Source,
    bool Approves,
    DateTimeOffset ReceivedAt)
{
    public const string FromWebhook = "webhook";
    public const string Reconciled = "reconciled";

    /// <summary>The same delivery again (route, interview, status) has the same id, and is recorded once.</summary>
    public static Delivery Received(string route, string? interviewId, string? status, bool approves, DateTimeOffset now) =>
        new(RecordKeys.Of($"{route}\n{interviewId}\n{status}"), route, interviewId, status, FromWebhook, approves, now);

    public static Delivery FoundFinished(string interviewId, bool approves, DateTimeOffset now) =>
        new(RecordKeys.Of($"reconciled\n{interviewId}"), "reconcile", interviewId, DecisionStatuses.OnboardingFinished, Reconciled, approves, now);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, DecisionJson.Default.Delivery);

    public static Delivery? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, DecisionJson.Default.Delivery);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>An outcome as the app sees it, on the relay and on GET /decisions alike.</summary>
public sealed record Decision(
    string Id,
    string InterviewId,
    string Outcome,
    string? Score,
    string? IdentityId,
    string Status,
    string Source,
    string OccurredAt,
    string? Reason = null,
    string? ExternalCustomerId = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, DecisionJson.Default.Decision);

    /// <summary>
    /// One decision per interview and stage (the onboarding, then a manual review): its id is made of
    /// those, so whoever decides it, however often, it is the same decision.
    /// </summary>
    public static string IdFor(string interviewId, string stage) => "dec_" + RecordKeys.Of($"{stage}\n{interviewId}")[..32];

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A decision in the order it was recorded: <see cref="Sequence"/> is the feed's cursor.</summary>
public sealed record FeedEntry(long Sequence, string Json)
{
    public DateTimeOffset? OccurredAt()
    {
        try
        {
            using var doc = JsonDocument.Parse(Json);
            return doc.RootElement.TryGetProperty("occurredAt", out var at) && at.TryGetDateTimeOffset(out var when) ? when : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A session started here whose outcome is looked up at Incode if no webhook brings it.</summary>
public sealed record Watch(string InterviewId, DateTimeOffset StartedAt)
{
    public string Key => RecordKeys.Of(InterviewId);
}

/// <summary>An interview whose personal data is to be deleted at Incode from <see cref="Due"/> (its latest decision and PURGE_AFTER_HOURS).</summary>
public sealed record Purge(string InterviewId, DateTimeOffset Due);

internal static class DecisionStatuses
{
    public const string OnboardingFinished = "ONBOARDING_FINISHED";
    public const string ManualReviewApproved = "MANUAL_REVIEW_APPROVED";
    public const string ManualReviewRejected = "MANUAL_REVIEW_REJECTED";

    public const string OnboardingStage = "onboarding";
    public const string ReviewStage = "review";
}

/// <summary>What the decisions area keeps and relays as JSON, serialized by generated code (the published server is native).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Delivery))]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(Watch))]
internal sealed partial class DecisionJson : JsonSerializerContext;
