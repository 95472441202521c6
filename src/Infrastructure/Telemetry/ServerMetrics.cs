using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IncodeSlices.Infrastructure.Telemetry;

/// <summary>
/// What this server counts of its own work, as instruments of the meter <see cref="MeterName"/>. The
/// meter comes from the host's <see cref="IMeterFactory"/>, so only this host's exporters (METRICS_PORT,
/// OTLP) and a test's listener see it; with neither exporter nobody listens and a measurement costs a
/// check. Every label value is a route template or a word from a fixed set: never an id, a token or
/// anything a caller typed, which would leak or multiply the series without bound.
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "IncodeSlices";

    private readonly Counter<long> _sessionsCreated;
    private readonly Histogram<double> _incodeCalls;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Counter<long> _sessionBudgetRefusals;
    private readonly Histogram<double> _storeWrites;
    private readonly Counter<long> _storeWriteFailures;
    private readonly Histogram<int> _storeBatchSize;
    private readonly Counter<long> _adminTokenRenewals;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _relayAttempts;
    private readonly Counter<long> _deliveriesWorked;
    private readonly Counter<long> _decisionsGivenUp;
    private readonly Counter<long> _piiPurges;
    private volatile DecisionBacklog? _decisionBacklog; // null until durable processing measures it

    public ServerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _sessionsCreated = meter.CreateCounter<long>("incodeslices.sessions.created", "{session}",
            "Incode sessions created (each one billed by Incode), by the route that created it");
        _incodeCalls = meter.CreateHistogram<double>("incodeslices.incode.call.duration", "s",
            "Incode calls as the caller waited for them, retries included, by call (the Incode path) and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _webhookDeliveries = meter.CreateCounter<long>("incodeslices.webhook.deliveries", "{delivery}",
            "Webhook deliveries, by route and outcome");
        _sessionBudgetRefusals = meter.CreateCounter<long>("incodeslices.session_budget.refusals", "{request}",
            "Requests refused (429) because their client address spent its budget of new sessions, by route");
        _storeWrites = meter.CreateHistogram<double>("incodeslices.store.write.duration", "s",
            "Record store writes until the record was durable (or refused), by store and collection",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _storeWriteFailures = meter.CreateCounter<long>("incodeslices.store.write.failures", "{write}",
            "Record store writes that failed (the caller answered 503), by store and collection");
        _storeBatchSize = meter.CreateHistogram<int>("incodeslices.store.write.batch_size", "{record}",
            "Records made durable together by one group commit of the file store",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _adminTokenRenewals = meter.CreateCounter<long>("incodeslices.admin_token.renewals", "{login}",
            "Executive logins for the admin token (the first one included), by outcome");
        _decisions = meter.CreateCounter<long>("incodeslices.decisions", "{decision}",
            "Decisions made of webhook deliveries and reconciled sessions (WEBHOOK_PROCESSING=durable), by outcome and source");
        _deliveriesWorked = meter.CreateCounter<long>("incodeslices.decisions.deliveries_worked", "{delivery}",
            "Times a recorded delivery was worked, by result (decided, nothing_to_decide, retried)");
        _relayAttempts = meter.CreateCounter<long>("incodeslices.decisions.relay_attempts", "{attempt}",
            "Attempts to relay a decision to DECISIONS_URL, by result (delivered, failed)");
        _decisionsGivenUp = meter.CreateCounter<long>("incodeslices.decisions.given_up", "{item}",
            "Deliveries and relays given up after DECISION_GIVE_UP_HOURS, by what was given up");
        _piiPurges = meter.CreateCounter<long>("incodeslices.pii.purges", "{purge}",
            "Purges of an interview's personal data at Incode (PURGE_PII), by result (purged, dry_run, retried, given_up)");
        meter.CreateObservableGauge("incodeslices.decisions.pending", () => Backlog(b => b.Count), "{delivery}",
            "Webhook deliveries recorded and not yet worked to their end");
        meter.CreateObservableGauge("incodeslices.decisions.oldest_pending_age", () => Backlog(b => b.OldestAgeSeconds), "s",
            "How long ago the oldest delivery not yet worked to its end was received (0 with none)");
    }

    /// <summary>Latencies from a millisecond (a file write) to Incode's whole budget of 20 s.</summary>
    private static readonly IReadOnlyList<double> SecondsBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];

    /// <summary>A new Incode session was created by <paramref name="route"/> (its template, e.g. <c>/start</c>).</summary>
    public void SessionCreated(string route) => _sessionsCreated.Add(1, Route(route));

    /// <summary>A webhook delivery to <paramref name="route"/> was answered with <paramref name="outcome"/>.</summary>
    public void WebhookDelivered(string route, WebhookOutcome outcome) =>
        _webhookDeliveries.Add(1, Route(route), new("outcome", WordFor(outcome)));

    /// <summary>A delivery was refused before its body was read (a wrong secret, token or address): 401 or 403.</summary>
    public void WebhookRefused(HttpContext context) => WebhookDelivered(RouteOf(context), WebhookOutcome.Refused);

    public void SessionBudgetRefused(HttpContext context) => _sessionBudgetRefusals.Add(1, Route(RouteOf(context)));

    /// <summary>An Incode call ended after <paramref name="elapsed"/>; <paramref name="outcome"/> is <c>ok</c> or how it failed.</summary>
    public void IncodeCallEnded(string call, string outcome, TimeSpan elapsed) =>
        _incodeCalls.Record(elapsed.TotalSeconds, new("incode.call", call), new("outcome", outcome));

    /// <summary>Whether anyone listens to store writes: their measuring is skipped when nobody does.</summary>
    public bool ObservesStoreWrites => _storeWrites.Enabled || _storeWriteFailures.Enabled;

    public void StoreWriteEnded(string store, string collection, TimeSpan elapsed, bool failed)
    {
        _storeWrites.Record(elapsed.TotalSeconds, new("store", store), new("collection", collection));
        if (failed) _storeWriteFailures.Add(1, new("store", store), new("collection", collection));
    }

    public void StoreBatchWritten(int records) => _storeBatchSize.Record(records);

    public void AdminTokenRenewed(bool succeeded) => _adminTokenRenewals.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "renewed" : "failed"));

    public void Decided(string outcome, string source) => _decisions.Add(1, new("outcome", outcome), new("source", source));

    /// <summary><paramref name="result"/>: <c>decided</c>, <c>nothing_to_decide</c> (a step, a duplicate, an interview decided already) or <c>retried</c>.</summary>
    public void DeliveryWorked(string result) => _deliveriesWorked.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary><paramref name="result"/>: <c>delivered</c> or <c>failed</c>.</summary>
    public void RelayAttempted(string result) => _relayAttempts.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary><paramref name="what"/>: <c>delivery</c> or <c>relay</c>.</summary>
    public void DecisionGivenUp(string what) => _decisionsGivenUp.Add(1, new KeyValuePair<string, object?>("what", what));

    /// <summary><paramref name="result"/>: <c>purged</c>, <c>dry_run</c>, <c>retried</c> or <c>given_up</c>.</summary>
    public void PiiPurged(string result) => _piiPurges.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>The durable backlog as last measured; the gauges report it from then on.</summary>
    public void DecisionBacklogSeen(long count, double oldestAgeSeconds) => _decisionBacklog = new(count, oldestAgeSeconds);

    private IEnumerable<Measurement<T>> Backlog<T>(Func<DecisionBacklog, T> read) where T : struct =>
        _decisionBacklog is { } backlog ? [new Measurement<T>(read(backlog))] : [];

    private sealed record DecisionBacklog(long Count, double OldestAgeSeconds);

    private static KeyValuePair<string, object?> Route(string route) => new("http.route", route);

    /// <summary>The route template of the request's endpoint, never its path (which holds whatever the caller sent).</summary>
    private static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";

    private static string WordFor(WebhookOutcome outcome) => outcome switch
    {
        WebhookOutcome.Approved => "approved",
        WebhookOutcome.NotPassed => "not_passed",
        WebhookOutcome.Passed => "passed",
        WebhookOutcome.Duplicate => "duplicate",
        WebhookOutcome.Refused => "refused",
        WebhookOutcome.ScoreUnavailable => "score_unavailable",
        WebhookOutcome.Queued => "queued",
        _ => "echoed",
    };
}
