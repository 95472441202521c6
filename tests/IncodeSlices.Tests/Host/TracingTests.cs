using System.Diagnostics;
using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using IncodeSlices.Tests.Support.Otlp;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// The spans the server exports over OTLP, as a receiver of the tests' own gets them: one per request,
/// a child per Incode call (and a grandchild per attempt), a child per store write; named by route and
/// Incode path, and never carrying a query, an id or what a lower layer said.
/// </summary>
[Collection(ProcessWideTracing.Name)]
public sealed class TracingTests : AppTests<TracingTests.TracedApp>
{
    private const string InterviewId = "6650f0c2a1b2c3d4e5f60718";

    /// <summary>A server exporting its spans to a receiver of the class's own.</summary>
    public sealed class TracedApp : IncodeApp
    {
        public TracedApp() : this(new OtlpReceiver())
        {
        }

        private TracedApp(OtlpReceiver receiver) : base(receiver.Settings) => Receiver = receiver;

        public OtlpReceiver Receiver { get; }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing) Receiver.Dispose();
        }
    }

    public TracingTests(TracedApp app) : base(app) => app.Receiver.Clear(); // every span of earlier tests was flushed as they ended

    /// <summary>
    /// Sends <paramref name="request"/> as part of a trace of the test's own (W3C traceparent), and gives
    /// that trace's spans once exported: other hosts of the test process trace too, in traces of their own.
    /// </summary>
    private async Task<(HttpResponseMessage Response, IReadOnlyList<ReceivedSpan> Spans)> TracedAsync(HttpRequestMessage request)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
        var response = await App.Client.SendAsync(request);
        await App.FlushTracesAsync();
        return (response, App.Receiver.SpansOf(traceId));
    }

    private static ReceivedSpan Single(IReadOnlyList<ReceivedSpan> spans, string name) =>
        Assert.Single(spans, s => s.Name == name);

    private static IEnumerable<ReceivedSpan> ChildrenOf(IReadOnlyList<ReceivedSpan> spans, ReceivedSpan parent) =>
        spans.Where(s => s.ParentSpanId == parent.SpanId);

    [Fact]
    public async Task Each_Incode_call_is_a_child_of_its_request_named_by_its_path()
    {
        Incode.AnswerAll();

        var (response, spans) = await TracedAsync(new(HttpMethod.Get, "/onboarding-url?redirectionUrl=https%3A%2F%2Fshop.example%2Fdone"));

        await response.JsonAsync(HttpStatusCode.OK);
        var request = Single(spans, "GET /onboarding-url");
        // Incode's stub is an ASP.NET Core host in this process too; its requests are not this server's spans.
        Assert.Equal(request, Assert.Single(App.Receiver.Spans, s => s.Kind == Span.Types.SpanKind.Server));
        Assert.Equal("/onboarding-url", request.Attributes["http.route"]);
        Assert.DoesNotContain("url.query", request.Attributes.Keys);
        Assert.Equal(["Incode GET /0/omni/onboarding-url", "Incode POST /omni/start"], ChildrenOf(spans, request).Select(s => s.Name).Order());
        foreach (var call in ChildrenOf(spans, request))
        {
            Assert.Equal("ok", call.Attributes["incode.outcome"]);
            var attempt = Assert.Single(ChildrenOf(spans, call));
            Assert.Equal(Span.Types.SpanKind.Client, attempt.Kind);
            Assert.Equal(call.Name["Incode ".Length..], attempt.Name);
            Assert.Equal($"{Incode.Url}{call.Attributes["incode.call"]}", attempt.Attributes["url.full"]);
            Assert.Equal("200", attempt.Attributes["http.response.status_code"]);
        }
        Assert.Equal(("GET", "http", "/onboarding-url", "200"),
            (request.Attributes["http.request.method"], request.Attributes["url.scheme"], request.Attributes["url.path"], request.Attributes["http.response.status_code"]));
        Assert.False(Incode.SingleCallTo(IncodePaths.OnboardingUrl).HasHeader("traceparent")); // Incode is not part of the trace
        Assert.DoesNotContain(spans, s => s.Text.Contains("shop.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_Incode_call_is_recorded_by_its_outcome_and_exception_type_never_by_what_Incode_said()
    {
        Incode.Answer("GET", IncodePaths.OnboardingStatus, 500, """{"error":"incode-explains-its-failure"}""");

        var (response, spans) = await TracedAsync(new(HttpMethod.Get, $"/onboarding-status?interviewId={InterviewId}"));

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, $"Incode {IncodePaths.OnboardingStatus} failed with status 500");
        var request = Single(spans, "GET /onboarding-status");
        Assert.Equal(Status.Types.StatusCode.Error, request.Status);
        Assert.Equal($"Incode {IncodePaths.OnboardingStatus} failed with status 500", request.StatusMessage);
        var call = Single(spans, $"Incode GET {IncodePaths.OnboardingStatus}");
        Assert.Equal(request.SpanId, call.ParentSpanId);
        Assert.Equal((Status.Types.StatusCode.Error, "status_5xx"), (call.Status, call.StatusMessage));
        Assert.Equal(("status_5xx", "500"), (call.Attributes["incode.outcome"], call.Attributes["http.response.status_code"]));
        var exception = Assert.Single(call.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Equal(new Dictionary<string, string> { ["exception.type"] = typeof(IncodeCallException).FullName! }, exception.Attributes);
        Assert.Equal(3, ChildrenOf(spans, call).Count()); // a read is tried three times
        Assert.DoesNotContain(spans, s => s.Text.Contains(InterviewId, StringComparison.Ordinal));
        Assert.DoesNotContain(spans, s => s.Text.Contains("incode-explains-its-failure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_store_write_is_a_child_of_its_request()
    {
        Incode.AnswerAll();

        var (response, spans) = await TracedAsync(new(HttpMethod.Get, "/start"));

        await response.JsonAsync(HttpStatusCode.OK);
        var request = Single(spans, "GET /start");
        var write = Single(spans, "store write sessions");
        Assert.Equal(request.SpanId, write.ParentSpanId);
        Assert.Equal(("file", "stored"), (write.Attributes["incodeslices.store"], write.Attributes["incodeslices.store.outcome"]));
    }

    [Fact]
    public async Task An_answer_from_500_on_without_an_exception_is_an_error_span_by_its_status()
    {
        _ = App.Client; // started: the store's folder exists
        if (Directory.Exists(App.SessionsDir)) Directory.Delete(App.SessionsDir, recursive: true);
        await File.WriteAllTextAsync(App.SessionsDir, "not a folder"); // the readiness probe cannot write
        try
        {
            await App.StoreProbedAsync();
            var (response, spans) = await TracedAsync(new(HttpMethod.Get, "/health/ready"));

            await response.JsonAsync(HttpStatusCode.ServiceUnavailable);
            var request = Single(spans, "GET /health/ready");
            Assert.Equal((Status.Types.StatusCode.Error, ""), (request.Status, request.StatusMessage));
            Assert.Equal(("503", "503"), (request.Attributes["error.type"], request.Attributes["http.response.status_code"]));
        }
        finally
        {
            File.Delete(App.SessionsDir);
            await App.StoreProbedAsync(); // writable again for the class's other tests
        }
    }

    [Fact]
    public async Task Another_server_in_the_same_process_is_not_traced_by_this_one()
    {
        _ = App.Client; // this server's tracer listens from now on
        using var other = TestApp.WithStub(Incode);
        Incode.AnswerAll();

        await (await other.Client.GetAsync($"/onboarding-status?interviewId={InterviewId}")).JsonAsync(HttpStatusCode.OK);
        await other.AllRequestsEndedAsync();

        await App.FlushTracesAsync();
        Assert.Empty(App.Receiver.Spans); // neither its request nor the Incode call made under it
    }

    [Fact]
    public async Task A_request_the_sampler_leaves_out_exports_nothing()
    {
        using var receiver = new OtlpReceiver();
        using var api = TestApp.WithStub(Incode, new Dictionary<string, string?>(receiver.Settings) { ["OTEL_TRACES_SAMPLER"] = "always_off" });
        Incode.AnswerAll();

        using var response = await api.Client.GetAsync($"/onboarding-status?interviewId={InterviewId}");

        await response.JsonAsync(HttpStatusCode.OK);
        Assert.False(Incode.SingleCallTo(IncodePaths.OnboardingStatus).HasHeader("traceparent"));
        await api.FlushTracesAsync();
        Assert.Empty(receiver.Spans);
    }

    [Fact]
    public async Task A_scrape_of_the_metrics_port_is_not_traced()
    {
        using var receiver = new OtlpReceiver();
        using var api = TestApp.WithMetricsPort(Incode, receiver.Settings);

        Assert.Contains("# TYPE", await api.ScrapeAsync());

        await api.FlushTracesAsync();
        Assert.Empty(receiver.Spans);
    }
}
