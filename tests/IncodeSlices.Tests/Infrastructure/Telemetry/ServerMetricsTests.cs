using System.Diagnostics.Metrics;
using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Telemetry;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncodeSlices.Tests.Infrastructure.Telemetry;

/// <summary>
/// The outcomes the scrape test does not bring about, read straight from the server's meter through
/// its IMeterFactory: measured whether or not anything exports them.
/// </summary>
public sealed class ServerMetricsTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly List<IDisposable> _owned = [];

    private MetricCollector<T> Collect<T>(TestApp app, string instrument) where T : struct
    {
        _ = app.Client; // boots the server
        var collector = new MetricCollector<T>(app.Services.GetRequiredService<IMeterFactory>(), ServerMetrics.MeterName, instrument);
        _owned.Add(collector);
        return collector;
    }

    private TestApp App(IDictionary<string, string?>? settings = null)
    {
        var app = TestApp.WithStub(_incode, settings);
        _owned.Add(app);
        return app;
    }

    private static string? Tag<T>(CollectedMeasurement<T> measurement, string name) where T : struct =>
        measurement.Tags.TryGetValue(name, out var value) ? value as string : null;

    [Fact]
    public async Task Counts_webhook_deliveries_that_are_echoed_not_passed_or_whose_score_is_unavailable()
    {
        var app = App();
        var deliveries = Collect<long>(app, "incodeslices.webhook.deliveries");
        _incode.AnswerPayload("GET", IncodePaths.Score, "score.fail.response");

        const string finished = """{"interviewId":"6650f0c2a1b2c3d4e5f60718","onboardingStatus":"ONBOARDING_FINISHED"}""";
        await (await app.Client.SendAsync(Requests.PostJson("/webhook", """{"interviewId":"a","onboardingStatus":"ID_VALIDATION_FINISHED"}"""))).JsonAsync(HttpStatusCode.OK);
        await (await app.Client.SendAsync(Requests.PostJson("/approve", """{"interviewId":"a","onboardingStatus":"ID_VALIDATION_FINISHED"}"""))).JsonAsync(HttpStatusCode.OK);
        await (await app.Client.SendAsync(Requests.PostJson("/approve", finished))).JsonAsync(HttpStatusCode.OK);
        await (await app.Client.SendAsync(Requests.PostJson("/webhook", finished))).JsonAsync(HttpStatusCode.OK);
        _incode.Reset();
        _incode.Answer("GET", IncodePaths.Score, 500, "{}");
        await (await app.Client.SendAsync(Requests.PostJson("/webhook", finished))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(
            ["/webhook echoed", "/approve echoed", "/approve not_passed", "/webhook not_passed", "/webhook score_unavailable"],
            deliveries.GetMeasurementSnapshot().Select(m => $"{Tag(m, "http.route")} {Tag(m, "outcome")}"));
    }

    [Fact]
    public async Task Counts_a_session_write_that_fails_and_the_session_it_was_for()
    {
        var app = App();
        var created = Collect<long>(app, "incodeslices.sessions.created");
        var failures = Collect<long>(app, "incodeslices.store.write.failures");
        _incode.AnswerAll();
        // A file where the sessions folder should be: no write can succeed, root's included.
        if (Directory.Exists(app.SessionsDir)) Directory.Delete(app.SessionsDir, recursive: true);
        await File.WriteAllTextAsync(app.SessionsDir, "not a folder");
        try
        {
            await (await app.Client.GetAsync("/start")).AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Session could not be stored");
        }
        finally
        {
            File.Delete(app.SessionsDir);
        }

        // The session and the two records of who owns it, written in one batch: each write failed.
        Assert.Equal(["file session-interviews", "file session-tokens", "file sessions"],
            failures.GetMeasurementSnapshot().Select(m => $"{Tag(m, "store")} {Tag(m, "collection")}").Order(StringComparer.Ordinal));
        Assert.Equal("/start", Tag(Assert.Single(created.GetMeasurementSnapshot()), "http.route")); // Incode bills it all the same
    }

    [Fact]
    public async Task Counts_a_failed_admin_login()
    {
        var app = App(new Dictionary<string, string?> { ["ADMIN_EMAIL"] = "admin@example.com", ["ADMIN_PASSWORD"] = "wrong-password" });
        var renewals = Collect<long>(app, "incodeslices.admin_token.renewals");
        var calls = Collect<double>(app, "incodeslices.incode.call.duration");
        _incode.Answer("POST", IncodePaths.ExecutiveLogIn, 401, "{}");

        await (await app.Client.GetAsync("/onboarding-status?interviewId=abc")).AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Incode admin login failed");

        Assert.Equal("failed", Tag(Assert.Single(renewals.GetMeasurementSnapshot()), "outcome"));
        var login = Assert.Single(calls.GetMeasurementSnapshot());
        Assert.Equal((IncodePaths.ExecutiveLogIn, "status_4xx"), (Tag(login, "incode.call"), Tag(login, "outcome")));
    }

    [Fact]
    public async Task Counts_a_face_authentication_session_as_a_session_created()
    {
        var app = App();
        var created = Collect<long>(app, "incodeslices.sessions.created");
        _incode.AnswerFaceAuth();

        await app.Client.StartAsync();

        Assert.Equal("/face-auth/start", Tag(Assert.Single(created.GetMeasurementSnapshot()), "http.route"));
    }

    [Theory]
    [InlineData("WEBHOOK_SECRET", "a-secret-of-the-dashboard", HttpStatusCode.Unauthorized)]
    [InlineData("WEBHOOK_ALLOWED_IPS", "198.51.100.0/24", HttpStatusCode.Forbidden)]
    public async Task Counts_a_delivery_refused_by_authentication_or_by_its_source(string setting, string value, HttpStatusCode refusal)
    {
        var app = App(new Dictionary<string, string?> { [setting] = value });
        var deliveries = Collect<long>(app, "incodeslices.webhook.deliveries");

        Assert.Equal(refusal, (await app.Client.SendAsync(Requests.PostJson("/approve", """{"interviewId":"a","onboardingStatus":"ONBOARDING_FINISHED"}"""))).StatusCode);

        var refused = Assert.Single(deliveries.GetMeasurementSnapshot());
        Assert.Equal(("/approve", "refused"), (Tag(refused, "http.route"), Tag(refused, "outcome")));
        Assert.Empty(_incode.Calls);
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) owned.Dispose();
        _incode.Dispose();
    }
}
