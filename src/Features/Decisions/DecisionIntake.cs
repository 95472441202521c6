using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Storage;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// /webhook and /approve with WEBHOOK_PROCESSING=durable: the delivery recorded durably, then answered;
/// the work is the worker's. The same delivery again is answered the same and recorded once. A store
/// that cannot take it throws <see cref="RecordStoreUnavailableException"/>:
/// a 503, and Incode delivers again.
/// </summary>
internal sealed class DecisionIntake(IServiceProvider services, IOptions<DecisionOptions> options, TimeProvider clock, DecisionWakeups wakeups,
    ServerMetrics metrics)
{
    private IDecisionStore? _store;

    public bool IsOn { get; } = options.Value.IsDurable;

    /// <param name="route">The route's template: <c>/approve</c> approves a passing score, <c>/webhook</c> only scores.</param>
    public async Task RecordAsync(string route, string? interviewId, string? status, bool approves, CancellationToken ct)
    {
        try
        {
            _store ??= services.GetRequiredService<IDecisionStore>();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RecordStoreUnavailableException("The decision queue cannot be opened", ex);
        }
        var added = await _store.AddDeliveryAsync(Delivery.Received(route, interviewId, status, approves, clock.GetUtcNow()), ct);
        metrics.WebhookDelivered(route, added ? WebhookOutcome.Queued : WebhookOutcome.Duplicate);
        if (added) wakeups.Deliveries.Wake();
    }

    /// <summary>What durable /approve answers in <c>data</c>: the delivery is taken, its outcome comes later.</summary>
    public static JsonObject Queued(string? interviewId, string? status) =>
        new() { ["interviewId"] = interviewId, ["onboardingStatus"] = status, ["queued"] = true };
}
