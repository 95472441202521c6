using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

/// <summary>One server per log configuration, shared by the class: the default, LOG_FORMAT=json and LOG_LEVEL=debug.</summary>
public sealed class RequestLogTests : IClassFixture<IncodeApp>, IClassFixture<RequestLogTests.JsonLogApp>, IClassFixture<RequestLogTests.DebugLogApp>
{
    private readonly IncodeApp _plain;
    private readonly JsonLogApp _json;
    private readonly DebugLogApp _debug;

    public RequestLogTests(IncodeApp plain, JsonLogApp json, DebugLogApp debug)
    {
        (_plain, _json, _debug) = (plain, json, debug);
        foreach (var app in new IncodeApp[] { plain, json, debug })
        {
            app.Incode.Reset();
            app.Incode.AnswerAll();
            app.Logs.Clear();
        }
    }

    public sealed class JsonLogApp() : IncodeApp(new Dictionary<string, string?> { ["LOG_FORMAT"] = "json" });

    public sealed class DebugLogApp() : IncodeApp(new Dictionary<string, string?> { ["LOG_LEVEL"] = "debug" });

    [Fact]
    public async Task Writes_one_line_per_request_with_method_path_status_and_time_but_no_query()
    {
        var app = _plain;

        await app.Client.GetAsync("/onboarding-status?interviewId=secret-looking-id");

        var line = Assert.Single(app.Logs.Lines, l => l.StartsWith("HTTP ", StringComparison.Ordinal));
        Assert.Matches(@"^HTTP ""?GET""? ""?/onboarding-status""? responded 200 in \d+(\.\d)? ms$", line);
        Assert.DoesNotContain("secret-looking-id", line);
    }

    /// <summary>
    /// A request is traced only where something reads the trace: JSON lines (their @tr and @sp) or
    /// exported spans (TracingTests). Otherwise no trace is started, which costs a tenth of a
    /// request's CPU. Either way no trace context reaches Incode: it is not part of the server's traces.
    /// </summary>
    [Theory]
    [InlineData(null, false)]
    [InlineData("json", true)]
    public async Task Traces_a_request_only_when_JSON_lines_read_its_trace(string? format, bool traced)
    {
        IncodeApp app = format == "json" ? _json : _plain;

        await (await app.Client.GetAsync("/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718")).JsonAsync(HttpStatusCode.OK);

        var line = Assert.Single(app.Logs.LogEvents, e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal));
        Assert.Equal(traced, line.TraceId is not null);
        Assert.False(Assert.Single(app.Incode.CallsTo(IncodePaths.OnboardingStatus)).HasHeader("traceparent"));
    }

    /// <summary>A line per score or per webhook step would double a busy server's log; LOG_LEVEL=debug shows them.</summary>
    [Theory]
    [InlineData(null, false)]
    [InlineData("debug", true)]
    public async Task Writes_the_lines_every_call_makes_only_at_LOG_LEVEL_debug(string? level, bool written)
    {
        IncodeApp app = level == "debug" ? _debug : _plain;

        await (await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/fetch-score?interviewId=6650f0c2a1b2c3d4e5f60718")
        { Headers = { { "X-Token", "session-token" } } })).JsonAsync(HttpStatusCode.OK);
        await (await app.Client.SendAsync(Requests.PostJson("/webhook", IncodePayloads.Read("webhook.onboarding-status")))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(written, app.Logs.Lines.Any(l => l.StartsWith("Interview \"6650f0c2a1b2c3d4e5f60718\" scored", StringComparison.Ordinal)));
        Assert.Equal(written, app.Logs.Lines.Any(l => l.StartsWith("Webhook: interview", StringComparison.Ordinal)));
        Assert.Contains("Interview \"6650f0c2a1b2c3d4e5f60718\" \"passed\"", app.Logs.Lines); // what /webhook is for
    }
}
