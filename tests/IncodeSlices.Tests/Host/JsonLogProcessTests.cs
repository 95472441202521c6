using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Tests.Support;
using IncodeSlices.Tests.Support.Otlp;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// LOG_FORMAT=json and OTLP together, in the real process: what a log shipper reads on standard output
/// and what a tracing backend receives must meet at the request's trace id.
/// </summary>
[Trait("Category", ServerProcess.Category)]
public sealed class JsonLogProcessTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly OtlpReceiver _receiver = new();
    private readonly string _root = Directory.CreateTempSubdirectory("incodeslices-jsonlog-").FullName;

    [Fact]
    public async Task Writes_one_JSON_object_per_line_carrying_the_trace_of_the_request_whose_spans_are_exported()
    {
        _incode.AnswerAll();
        var settings = new Dictionary<string, string?>(_receiver.Settings) { ["LOG_FORMAT"] = "json" };
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root, settings);

        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await (await client.GetAsync("/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718")).JsonAsync(HttpStatusCode.OK);
        await server.StopAsync(TimeSpan.FromSeconds(30)); // a graceful stop flushes the log and the exporter's last batch

        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        var logged = Assert.Single(lines, l => l["RequestPath"]?.GetValue<string>() == "/onboarding-status");
        Assert.StartsWith(@"HTTP ""GET"" ""/onboarding-status"" responded 200 in ", logged["@m"]!.GetValue<string>());
        var traceId = logged["@tr"]!.GetValue<string>();
        var request = Assert.Single(_receiver.SpansOf(traceId), s => s.Kind == Span.Types.SpanKind.Server);
        Assert.Equal("GET /onboarding-status", request.Name);
        Assert.Equal(request.SpanId, logged["@sp"]!.GetValue<string>());
        var call = Assert.Single(_receiver.SpansOf(traceId), s => s.ParentSpanId == request.SpanId && s.Name == "Incode GET /omni/get/onboarding/status");
        Assert.Single(_receiver.SpansOf(traceId), s => s.ParentSpanId == call.SpanId && s.Name == "GET /omni/get/onboarding/status");
        // The server's runtime configuration keeps HttpClient from sending Incode the trace context.
        Assert.False(_incode.SingleCallTo("/omni/get/onboarding/status").HasHeader("traceparent"));
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _incode.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
