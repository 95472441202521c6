using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// The Prometheus endpoint on METRICS_PORT, read as Prometheus reads it, after requests whose every
/// effect is known: the counts must be those, and no label may carry what a caller sent.
/// </summary>
public sealed class MetricsTests : IDisposable
{
    private const string Secret = "webhook-secret-for-the-metrics-test";
    private const string InterviewId = "6650f0c2a1b2c3d4e5f60718";
    private readonly IncodeStub _incode = new();
    private readonly TestApp _api;

    public MetricsTests()
    {
        _api = TestApp.WithMetricsPort(_incode, new Dictionary<string, string?>
        {
            ["WEBHOOK_SECRET"] = Secret,
            ["RATE_LIMIT_PER_MINUTE"] = "2",
            ["ADMIN_EMAIL"] = "admin@example.com",
            ["ADMIN_PASSWORD"] = "admin-password-for-the-metrics-test",
        });
    }

    private HttpRequestMessage Delivery(string route, string? secret, string interviewId = InterviewId)
    {
        var request = Requests.PostJson(route, $$"""{"interviewId":"{{interviewId}}","onboardingStatus":"ONBOARDING_FINISHED"}""");
        if (secret is not null) request.Headers.Add("X-Webhook-Secret", secret);
        return request;
    }

    [Fact]
    public async Task Counts_what_a_scripted_mix_of_requests_did()
    {
        var client = _api.Client;
        _incode.AnswerAll().AnswerLogins("admin-token-from-login");
        await (await client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/start")).JsonAsync(HttpStatusCode.TooManyRequests); // two new sessions a minute
        await (await client.SendAsync(Delivery("/webhook", secret: "wrong"))).JsonAsync(HttpStatusCode.Unauthorized);
        await (await client.SendAsync(Delivery("/webhook", Secret))).JsonAsync(HttpStatusCode.OK);
        await (await client.SendAsync(Delivery("/approve", Secret))).JsonAsync(HttpStatusCode.OK);
        await (await client.SendAsync(Delivery("/approve", Secret))).JsonAsync(HttpStatusCode.OK); // Incode's redelivery

        _incode.Reset();
        _incode.Answer("GET", IncodePaths.OnboardingStatus, 500, """{"error":"boom"}""");
        await (await client.GetAsync($"/onboarding-status?interviewId={InterviewId}")).JsonAsync(HttpStatusCode.BadGateway);

        _incode.Reset();
        _incode.Stall("GET", IncodePaths.FinishStatus);
        var finish = await _api.OutwaitIncodeAsync(Requests.PostJson("/finish", """{"token":"session-token-for-the-metrics-test"}"""), IncodePaths.FinishStatus);
        await finish.JsonAsync(HttpStatusCode.GatewayTimeout);

        const string requests = "http_server_request_duration_seconds_count";
        var scrape = await _api.ScrapeAsync();

        Assert.Equal(1, scrape.Sample("incodeslices_sessions_created_total", ("http_route", "/start")));
        Assert.Equal(1, scrape.Sample("incodeslices_sessions_created_total", ("http_route", "/onboarding-url")));
        Assert.Equal(1, scrape.Sample("incodeslices_session_budget_refusals_total", ("http_route", "/start")));

        Assert.Equal(1, scrape.Sample("incodeslices_webhook_deliveries_total", ("http_route", "/webhook"), ("outcome", "refused")));
        Assert.Equal(1, scrape.Sample("incodeslices_webhook_deliveries_total", ("http_route", "/webhook"), ("outcome", "passed")));
        Assert.Equal(1, scrape.Sample("incodeslices_webhook_deliveries_total", ("http_route", "/approve"), ("outcome", "approved")));
        Assert.Equal(1, scrape.Sample("incodeslices_webhook_deliveries_total", ("http_route", "/approve"), ("outcome", "duplicate")));
        Assert.Equal(4, scrape.Sample("incodeslices_webhook_deliveries_total"));

        const string calls = "incodeslices_incode_call_duration_seconds_count";
        Assert.Equal(2, scrape.Sample(calls, ("incode_call", IncodePaths.Start), ("outcome", "ok")));
        Assert.Equal(1, scrape.Sample(calls, ("incode_call", IncodePaths.OnboardingUrl), ("outcome", "ok")));
        Assert.Equal(2, scrape.Sample(calls, ("incode_call", IncodePaths.Score), ("outcome", "ok")));
        Assert.Equal(1, scrape.Sample(calls, ("incode_call", IncodePaths.ProcessApprove), ("outcome", "ok")));
        Assert.Equal(1, scrape.Sample(calls, ("incode_call", IncodePaths.ExecutiveLogIn), ("outcome", "ok")));
        Assert.Equal(1, scrape.Sample(calls, ("incode_call", IncodePaths.OnboardingStatus), ("outcome", "status_5xx")));
        Assert.Equal(1, scrape.Sample(calls, ("incode_call", IncodePaths.FinishStatus), ("outcome", "timeout")));
        Assert.Equal(9, scrape.Sample(calls));
        Assert.Equal(1, scrape.Sample("incodeslices_admin_token_renewals_total", ("outcome", "renewed")));

        // HttpClient's own metric counts attempts: the failing read was tried three times.
        Assert.Equal(3, scrape.Sample("http_client_request_duration_seconds_count", ("http_response_status_code", "500")));

        Assert.Equal(1, scrape.Sample(requests, ("http_response_status_code", "200"), ("http_route", "/start")));
        Assert.Equal(1, scrape.Sample(requests, ("http_response_status_code", "429"), ("http_route", "/start")));
        Assert.Equal(1, scrape.Sample(requests, ("http_response_status_code", "401"), ("http_route", "/webhook")));
        Assert.Equal(1, scrape.Sample(requests, ("http_response_status_code", "502"), ("http_route", "/onboarding-status")));
        Assert.Equal(1, scrape.Sample(requests, ("http_response_status_code", "504"), ("http_route", "/finish")));

        const string writes = "incodeslices_store_write_duration_seconds_count";
        // The session, and what is left of it once ONBOARDING_FINISHED was delivered for its interview (its token forgotten).
        Assert.Equal(2, scrape.Sample(writes, ("store", "file"), ("collection", "sessions")));
        Assert.Equal(1, scrape.Sample(writes, ("store", "file"), ("collection", "session-interviews")));
        Assert.Equal(1, scrape.Sample(writes, ("store", "file"), ("collection", "session-tokens")));
        Assert.Equal(1, scrape.Sample(writes, ("store", "file"), ("collection", "approval-claims")));
        Assert.Equal(1, scrape.Sample(writes, ("store", "file"), ("collection", "approvals")));
        Assert.Equal(0, scrape.Sample("incodeslices_store_write_failures_total"));
        Assert.Equal(6, scrape.Sample("incodeslices_store_write_batch_size_sum")); // every record in some batch

        foreach (var sent in (string[])[InterviewId, Secret, "session-token-for-the-metrics-test", "admin-token-from-login", "admin-password-for-the-metrics-test"])
            Assert.DoesNotContain(sent, scrape);
    }

    [Fact]
    public async Task Answers_metrics_only_on_its_own_port()
    {
        _incode.AnswerAll();

        await (await _api.Client.GetAsync("/metrics")).AssertNotFoundAsync("Cannot GET /metrics");
        var disguised = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        disguised.Headers.Host = $"127.0.0.1:{_api.Settings["METRICS_PORT"]}";
        await (await _api.Client.SendAsync(disguised)).AssertNotFoundAsync("Cannot GET /metrics");

        Assert.Equal(HttpStatusCode.NotFound, (await _api.MetricsClient.GetAsync("/start")).StatusCode);
        Assert.Equal(0, _incode.Arrivals);
        Assert.Contains("# TYPE", await _api.ScrapeAsync());
    }

    [Fact]
    public async Task Builds_no_OpenTelemetry_provider_when_nothing_exports()
    {
        using var api = TestApp.WithStub(_incode);
        _incode.AnswerAll();

        await (await api.Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        Assert.Null(api.Services.GetService<MeterProvider>());
        Assert.Null(api.Services.GetService<TracerProvider>());
        await (await api.Client.GetAsync("/metrics")).AssertNotFoundAsync("Cannot GET /metrics");
    }

    public void Dispose()
    {
        _api.Dispose();
        _incode.Dispose();
    }
}
