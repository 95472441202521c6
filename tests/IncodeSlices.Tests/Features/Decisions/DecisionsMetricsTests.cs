using System.Diagnostics.Metrics;
using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Telemetry;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncodeSlices.Tests.Features.Decisions;

/// <summary>What Prometheus reads of durable processing on METRICS_PORT, under the names the alert rules and the README use.</summary>
public sealed class DecisionsMetricsTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly DecisionReceiver _receiver = new();
    private readonly TestApp _server;

    public DecisionsMetricsTests() => _server = TestApp.WithMetricsPort(_incode, new Dictionary<string, string?>
    {
        ["WEBHOOK_PROCESSING"] = "durable",
        ["DECISIONS_URL"] = _receiver.Url,
        ["DECISIONS_SECRET"] = DecisionReceiver.Secret,
    });

    [Fact]
    public async Task Counts_decisions_deliveries_worked_and_the_backlog_without_a_secret()
    {
        _incode.AnswerAll();

        await (await _server.Client.SendAsync(Requests.PostJson("/webhook",
            """{"interviewId":"metrics-1","onboardingStatus":"ONBOARDING_FINISHED"}"""))).JsonAsync(HttpStatusCode.OK);
        await _receiver.WaitForAsync(1);
        var scrape = await _server.ScrapeAsync();

        Assert.Equal(1, scrape.Sample("incodeslices_decisions_total", ("outcome", "passed"), ("source", "webhook")));
        Assert.Equal(1, scrape.Sample("incodeslices_decisions_deliveries_worked_total", ("result", "decided")));
        Assert.Equal(1, scrape.Sample("incodeslices_webhook_deliveries_total", ("http_route", "/webhook"), ("outcome", "queued")));
        Assert.Contains("\nincodeslices_decisions_pending{", scrape);
        Assert.Contains("\nincodeslices_decisions_oldest_pending_age_seconds{", scrape);
        Assert.Single(_incode.CallsTo(IncodePaths.Score));
        Assert.DoesNotContain(DecisionReceiver.Secret, scrape);
        Assert.DoesNotContain(IncodeStub.AdminToken, scrape);
    }

    [Fact]
    public async Task Counts_purges_by_result_under_the_documented_name()
    {
        using var incode = new IncodeStub();
        using var server = TestApp.WithMetricsPort(incode, new Dictionary<string, string?>
        {
            ["WEBHOOK_PROCESSING"] = "durable",
            ["PURGE_PII"] = "dry-run",
            ["PURGE_AFTER_HOURS"] = "0",
        });
        incode.AnswerAll();
        using var purges = new MetricCollector<long>(server.Services.GetRequiredService<IMeterFactory>(), ServerMetrics.MeterName, "incodeslices.pii.purges");

        await (await server.Client.SendAsync(Requests.PostJson("/webhook",
            """{"interviewId":"metrics-purge-1","onboardingStatus":"ONBOARDING_FINISHED"}"""))).JsonAsync(HttpStatusCode.OK);
        await purges.WaitForMeasurementsAsync(1, TimeSpan.FromMinutes(1));
        await Task.Yield(); // off the server's thread that counted
        var scrape = await server.ScrapeAsync();

        Assert.Equal(1, scrape.Sample("incodeslices_pii_purges_total", ("result", "dry_run")));
        Assert.Empty(incode.CallsTo(IncodePaths.Interviews));
    }

    public void Dispose()
    {
        _server.Dispose();
        _incode.Dispose();
        _receiver.Dispose();
    }
}
