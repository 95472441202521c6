using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;

// The benchmark's helper, two jobs in one small program:
//
//   IncodeStandIn serve --port 5100 [--delay-ms 0]
//       A fast local stand-in for Incode's API: every call the token server makes is answered with
//       the contract's example payload after a fixed delay. The delay can be changed while it runs
//       (POST /bench/delay?ms=100), so one token server process can be measured against 0 ms and
//       100 ms upstream latency without a restart. A call without the headers Incode requires
//       (x-api-key and api-version; X-Incode-Hardware-Id on all but /omni/start) is answered 401,
//       as Incode would, so the server and the bench's floor are seen to make the same calls.
//       GET /bench/calls counts the calls answered, per path, for the bench's route check.
//
//   IncodeStandIn seed --dir <sessions folder> --count <n> --ids <file>
//       Writes n session files in the token server's format, and appends their ids to a file
//       (one a line) for the load generator to pick from.
//
// Paths are spelled out here rather than taken from the server's code: if the server ever called a
// wrong path, the benchmark would show errors instead of quietly agreeing with it.

return args.FirstOrDefault() switch
{
    "serve" => Serve(Options.Parse(args[1..])),
    "seed" => Seed(Options.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: IncodeStandIn serve --port <port> [--delay-ms <ms>]");
    Console.Error.WriteLine("       IncodeStandIn seed --dir <folder> --count <n> --ids <file>");
    return 2;
}

static int Serve(Options options)
{
    var port = options.Int("port");
    var delay = new UpstreamDelay(options.Int("delay-ms", 0));

    // No configuration reload: it would watch the working directory and everything below it (the
    // repository, with the server's log in bench/out) and wake on every line the server logs.
    var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
    builder.Logging.ClearProviders(); // a log line per call would cost more than the answer itself
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    var app = builder.Build();

    // Every Incode call the token server makes, with the example payload it is answered with.
    (string Method, string Path, string Payload)[] calls =
    [
        ("POST", "/omni/start", "omni-start.response"),
        ("GET", "/0/omni/onboarding-url", "onboarding-url.response"),
        ("GET", "/omni/get/onboarding/status", "onboarding-status.response"),
        ("GET", "/omni/get/score", "score.onboarding.response"),
        ("POST", "/omni/authentication/verify", "authentication-verify.response"),
        ("POST", "/omni/process/approve", "process-approve.response"),
        ("GET", "/omni/finish-status", "finish-status.response"),
    ];
    var answered = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
    foreach (var (method, path, payload) in calls)
    {
        var body = Payloads.Read(payload);
        var needsToken = path != "/omni/start";
        app.MapMethods(path, [method], async (HttpContext context) =>
        {
            var headers = context.Request.Headers;
            if (headers["x-api-key"].Count == 0 || headers["api-version"].Count == 0
                || (needsToken && headers["X-Incode-Hardware-Id"].Count == 0))
            {
                context.Response.StatusCode = 401;
                return;
            }
            // Counted before the answer leaves, so a count read after the caller's own answer includes it.
            answered.AddOrUpdate(path, 1, static (_, n) => n + 1);
            var ms = delay.Milliseconds;
            if (ms > 0) await Task.Delay(ms, context.RequestAborted);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
    }

    // An OTLP/HTTP collector that keeps nothing, for the telemetry bench: the server's exporter gets
    // the quick 200 a real collector gives, so what is measured is the server's own cost of tracing.
    app.MapPost("/v1/{signal}", async (HttpContext context) =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        context.Response.ContentType = "application/x-protobuf";
    });

    // Bench control: the script switches the latency between load phases.
    app.MapPost("/bench/delay", (int ms) =>
    {
        delay.Milliseconds = ms;
        return Results.Text($"{{\"delayMs\":{ms}}}", "application/json");
    });
    // "<path> <calls answered>" a line, for the route check: which upstream call each route makes.
    app.MapGet("/bench/calls", () => Results.Text(
        string.Concat(answered.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}\n")),
        "text/plain", Encoding.UTF8));

    Console.WriteLine($"Incode stand-in listening on 127.0.0.1:{port}, delay {delay.Milliseconds} ms");
    app.Run();
    return 0;
}

static int Seed(Options options)
{
    var folder = options.String("dir");
    var count = options.Int("count");
    var idsFile = options.String("ids");
    Directory.CreateDirectory(folder);

    // The token itself does not matter to the server's lookup; a real-looking one keeps files realistic in size.
    var token = System.Text.Json.JsonDocument.Parse(Payloads.Read("omni-start.response"))
        .RootElement.GetProperty("token").GetString()!;

    using var ids = new StreamWriter(idsFile, append: true);
    var interviewId = new byte[12];
    for (var i = 0; i < count; i++)
    {
        var uniqueId = Guid.NewGuid().ToString("D"); // lower-case UUID v4, as the server makes them
        Random.Shared.NextBytes(interviewId);
        // The server's file format: 2-space indented, keys in this order, uniqueId equal to the file name.
        var json = $$"""
            {
              "token": "{{token}}",
              "interviewId": "{{Convert.ToHexStringLower(interviewId)}}",
              "uniqueId": "{{uniqueId}}"
            }
            """;
        File.WriteAllText(Path.Combine(folder, uniqueId + ".json"), json); // UTF-8 without a BOM, as the server writes
        ids.WriteLine(uniqueId);
    }
    return 0;
}

/// <summary>The upstream latency, changed by the control route while requests read it.</summary>
internal sealed class UpstreamDelay(int milliseconds)
{
    private int _milliseconds = milliseconds;

    public int Milliseconds
    {
        get => Volatile.Read(ref _milliseconds);
        set => Volatile.Write(ref _milliseconds, Math.Max(0, value));
    }
}

/// <summary>The contract's example payloads, embedded from the server's copy (see the csproj).</summary>
internal static class Payloads
{
    public static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Payloads.{name}.json")
            ?? throw new ArgumentException($"No payload named {name}", nameof(name));
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>"--name value" pairs; a missing required one ends the program with a message.</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected --name, got {args[i]}");
            values[args[i][2..]] = args[i + 1];
        }
        return new Options(values);
    }

    public string String(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public int Int(string name, int? fallback = null) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");
}
