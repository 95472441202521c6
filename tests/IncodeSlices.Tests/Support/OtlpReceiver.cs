using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using IncodeSlices.Tests.Support.Otlp;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// An OTLP/HTTP endpoint of the tests' own, taking protobuf as the server's exporter sends it with
/// OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf: it keeps every span received, and accepts metrics and
/// logs unread. An HttpListener rather than ASP.NET Core, whose own request spans would be exported
/// back to it by any tracing host of the test process.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _serving;

    public OtlpReceiver()
    {
        Url = $"http://127.0.0.1:{FreePorts.Next()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>What points a server's exporter here.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Url,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    };

    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToArray();

    public IReadOnlyList<ReceivedSpan> SpansOf(string traceId) => Spans.Where(s => s.TraceId == traceId).ToList();

    /// <summary>Forgets what was received: for a receiver shared by the tests of a class.</summary>
    public void Clear() => _spans.Clear();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext exchange;
            try
            {
                exchange = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }
            using (var body = new MemoryStream())
            {
                await exchange.Request.InputStream.CopyToAsync(body);
                if (exchange.Request.Url?.AbsolutePath == "/v1/traces")
                    foreach (var span in Read(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()))) _spans.Enqueue(span);
            }
            exchange.Response.StatusCode = 200;
            exchange.Response.ContentType = "application/x-protobuf";
            exchange.Response.Close(); // an empty body is an empty Export…ServiceResponse: all accepted
        }
    }

    private static IEnumerable<ReceivedSpan> Read(ExportTraceServiceRequest request) =>
        from resource in request.ResourceSpans
        from scope in resource.ScopeSpans
        from span in scope.Spans
        select new ReceivedSpan(
            Hex(span.TraceId), Hex(span.SpanId), Hex(span.ParentSpanId), span.Name, span.Kind, scope.Scope?.Name ?? "",
            Attributes(span.Attributes), span.Status?.Code ?? Status.Types.StatusCode.Unset, span.Status?.Message ?? "",
            span.Events.Select(e => new ReceivedEvent(e.Name, Attributes(e.Attributes))).ToList());

    private static Dictionary<string, string> Attributes(IEnumerable<KeyValue> attributes) =>
        attributes.ToDictionary(a => a.Key, a => Text(a.Value));

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => string.Join(",", value.ArrayValue.Values.Select(Text)),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToBase64(),
        _ => "",
    };

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    public void Dispose()
    {
        if (!_listener.IsListening) return; // a host disposes its fixtures' parts once as IDisposable, once as IAsyncDisposable
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(10));
    }
}

public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, Span.Types.SpanKind Kind, string Scope,
    IReadOnlyDictionary<string, string> Attributes, Status.Types.StatusCode Status, string StatusMessage, IReadOnlyList<ReceivedEvent> Events)
{
    /// <summary>Everything the span says, in one text to search: name, attributes, events, status.</summary>
    public string Text => string.Join(" | ", [Name, StatusMessage,
        .. Attributes.Select(a => $"{a.Key}={a.Value}"),
        .. Events.SelectMany(e => e.Attributes.Select(a => $"{e.Name}: {a.Key}={a.Value}"))]);
}

public sealed record ReceivedEvent(string Name, IReadOnlyDictionary<string, string> Attributes);
