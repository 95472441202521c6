using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// What Incode's onboarding-status webhook carries (<c>interviewId</c>, <c>onboardingStatus</c>, and
/// keys passed on untouched) and how its answers are stamped. /webhook and /approve both read it.
/// </summary>
public static class WebhookPayload
{
    public const string OnboardingFinished = "ONBOARDING_FINISHED";

    public static string? InterviewId(JsonObject payload) => StringField(payload, "interviewId");

    public static string? OnboardingStatus(JsonObject payload) => StringField(payload, "onboardingStatus");

    /// <summary>UTC, <c>YYYY-MM-DD HH:MM:SS</c>, as the Node sample stamps its webhook answers.</summary>
    public static string Timestamp(TimeProvider clock) =>
        clock.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string? StringField(JsonObject payload, string name) =>
        payload[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
