using System.Text;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Xunit.Abstractions;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// Every secret set to a unique marker, every route run through success, Incode failing, Incode slow
/// and the caller's mistakes; then every log event, metric, exported span and answer is searched for
/// the markers. The only ones allowed out are those a route exists to hand over, in that route's answer.
/// </summary>
public sealed class SecretCanaryTests(ITestOutputHelper output) : IDisposable
{
    private readonly Canaries _canary = new();
    private readonly IncodeStub _incode = new();
    private readonly OtlpReceiver _receiver = new();
    private readonly string _root = Directory.CreateTempSubdirectory("incodeslices-canary-").FullName;

    [Fact]
    public async Task No_secret_reaches_a_log_event_a_metric_a_span_or_an_answer_it_is_not_meant_for()
    {
        var settings = _canary.Settings(Path.Combine(_root, "sessions"));
        foreach (var (key, value) in _receiver.Settings) settings[key] = value;
        using var api = TestApp.WithMetricsPort(_incode, settings);

        // The stalled round: once every route's first Incode call has arrived, their time for Incode passes.
        var answers = await RunEveryRouteAsync(api.Client, async () =>
        {
            await _incode.WaitUntilAsync(() => _incode.Arrivals >= _canary.EveryRoute().Count());
            api.Clock.Advance(TestApp.IncodeTimeout);
        });
        var scrape = await api.ScrapeAsync();
        await api.FlushTracesAsync();

        var logs = api.Logs;
        var written = Written(logs.Events, scrape);
        var leaks = _canary.LeaksIn(written, answers);
        output.WriteLine($"{answers.Count} answers, {logs.Events.Count} log events, {written.Count(w => w.StartsWith("span", StringComparison.Ordinal))} spans "
            + $"and {written.Count(w => w.StartsWith("metric", StringComparison.Ordinal))} metric lines searched; {leaks.Count} leaks; statuses: "
            + string.Join(", ", answers.GroupBy(a => a.Text[..3]).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(30)));
    }

    [Fact]
    public async Task No_secret_reaches_the_real_process_s_JSON_console_metrics_or_spans()
    {
        // A real process keeps real time: its stalled round lasts one INCODE_TIMEOUT_SECONDS.
        var settings = _canary.Settings(Path.Combine(_root, "sessions"));
        settings["INCODE_TIMEOUT_SECONDS"] = settings["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "6";
        settings["LOG_FORMAT"] = "json";
        var metricsPort = ServerProcess.FreePort();
        settings["METRICS_PORT"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in _receiver.Settings) settings[key] = value;
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root, settings);

        var answers = await RunEveryRouteAsync(new HttpClient { BaseAddress = server.BaseAddress }, () => Task.CompletedTask);
        using var metrics = new HttpClient();
        var scrape = await metrics.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        await server.StopAsync(TimeSpan.FromSeconds(30)); // the log is written in the background, spans in batches: all of it once the process has ended

        var console = server.Output.Split('\n');
        Assert.Contains(console, line => line.Contains(@"HTTP \""POST\"" \""/finish\"" responded", StringComparison.Ordinal)); // the last routes' lines are there
        var written = Written(console, scrape);
        var leaks = _canary.LeaksIn(written, answers);
        output.WriteLine($"{answers.Count} answers, {console.Length} console lines, {_receiver.Spans.Count} spans and a scrape searched; {leaks.Count} leaks");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(30)));
    }

    /// <summary>
    /// What the server wrote down: its log, its metrics and the spans it exported, each marked by kind.
    /// The search means something only if each holds what the routes did.
    /// </summary>
    private List<string> Written(IEnumerable<string> log, string scrape)
    {
        Assert.Contains("incodeslices_incode_call_duration_seconds_count", scrape);
        Assert.Contains(_receiver.Spans, s => s.Name == "Incode GET /omni/get/score");
        return
        [
            .. log.Select(line => $"log {line}"),
            .. scrape.Split('\n').Select(line => $"metric {line}"),
            .. _receiver.Spans.Select(span => $"span {span.Text}"),
        ];
    }

    /// <summary>
    /// Each route while Incode answers well, answers 500, answers HTML, never answers (until
    /// <paramref name="outwaitIncode"/> has let the server give up); then the caller's mistakes.
    /// </summary>
    private async Task<List<Answer>> RunEveryRouteAsync(HttpClient client, Func<Task> outwaitIncode)
    {
        var answers = new List<Answer>();
        async Task Send(Exchange exchange)
        {
            var response = await client.SendAsync(exchange.Request);
            var text = new StringBuilder().Append((int)response.StatusCode).Append('\n').Append(response.Headers)
                .Append(response.Content.Headers).Append('\n').Append(await response.Content.ReadAsStringAsync());
            lock (answers) answers.Add(new Answer(exchange, text.ToString()));
        }

        _canary.AnswerWell(_incode);
        await Send(new("GET /start", new(HttpMethod.Get, "/start"), [Canaries.SessionToken]));
        Assert.StartsWith("200", answers[^1].Text);
        var uniqueId = JsonNode.Parse(answers[^1].Text[answers[^1].Text.IndexOf('{')..])!["uniqueId"]!.GetValue<string>();
        await Send(new("GET /start resumed", new(HttpMethod.Get, $"/start?uniqueId={uniqueId}"), [Canaries.SessionToken]));
        foreach (var exchange in _canary.EveryRoute()) await Send(exchange);
        _canary.AssertTheyWereInPlay(_incode, answers);

        foreach (var misbehave in new Action<IncodeStub>[] { _canary.AnswerEverything500, _canary.AnswerEverythingHtml })
        {
            _incode.Reset();
            misbehave(_incode);
            await Task.WhenAll(_canary.EveryRoute().Select(exchange => Send(exchange with { MayReturn = [] })));
        }
        _incode.Reset();
        _canary.StallEverything(_incode);
        var stalled = Task.WhenAll(_canary.EveryRoute().Select(exchange => Send(exchange with { MayReturn = [] }))); // together: one timeout for all
        await outwaitIncode();
        await stalled;

        _canary.AnswerWell(_incode);
        foreach (var exchange in _canary.CallerMistakes()) await Send(exchange);
        return answers;
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _incode.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}

public sealed record Exchange(string Name, HttpRequestMessage Request, string[] MayReturn);

public sealed record Answer(Exchange Exchange, string Text);

/// <summary>The markers, the stub that hands them out, and the requests that carry them.</summary>
internal sealed class Canaries
{
    // Kinds: every marker is "CANARY-<kind>-<run>", so a log line holding any part of one is found by its kind.
    public const string ApiKey = "CANARY-APIKEY";
    public const string AdminToken = "CANARY-ADMINTOKEN";
    public const string SessionToken = "CANARY-SESSIONTOKEN"; // what /omni/start gives: /start and /onboarding-url return it
    public const string OnboardingUrl = "CANARY-ONBOARDINGURL"; // what /onboarding-url returns
    public const string CustomerToken = "CANARY-CUSTOMERTOKEN"; // Incode's approval: /approve returns it
    public const string XToken = "CANARY-XTOKEN";
    public const string FinishToken = "CANARY-FINISHTOKEN";
    public const string AuthTransaction = "CANARY-AUTHTRANSACTION";
    public const string AuthToken = "CANARY-AUTHTOKEN";
    public const string AuthInterviewToken = "CANARY-AUTHINTERVIEWTOKEN";
    public const string IncodeBody = "CANARY-INCODEBODY"; // what Incode says when it fails

    private static readonly string[] Kinds =
        [ApiKey, AdminToken, SessionToken, OnboardingUrl, CustomerToken, XToken, FinishToken, AuthTransaction, AuthToken, AuthInterviewToken, IncodeBody];

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    public string Marker(string kind) => $"{kind}-{_run}";

    public Dictionary<string, string?> Settings(string sessions) => new()
    {
        ["API_KEY"] = Marker(ApiKey),
        ["ADMIN_TOKEN"] = Marker(AdminToken),
        ["FLOW_ID"] = IncodeStub.FlowId,
        ["SESSIONS_DIR"] = sessions,
    };

    public void AnswerWell(IncodeStub incode)
    {
        incode.Reset();
        var start = IncodeStub.StartAnswer;
        start["token"] = Marker(SessionToken);
        var approval = IncodePayloads.ReadObject("process-approve.response");
        approval["token"] = Marker(CustomerToken);
        foreach (var (method, path, payload) in IncodeCalls.All)
            incode.Answer(method, path, 200, path switch
            {
                IncodePaths.Start => start.ToJsonString(),
                IncodePaths.OnboardingUrl => new JsonObject { ["url"] = $"https://onboarding.example/flow?session={Marker(OnboardingUrl)}" }.ToJsonString(),
                IncodePaths.ProcessApprove => approval.ToJsonString(),
                _ => IncodePayloads.Read(payload),
            });
    }

    public void AnswerEverything500(IncodeStub incode)
    {
        foreach (var (method, path, _) in IncodeCalls.All)
            incode.Answer(method, path, 500, new JsonObject { ["error"] = Marker(IncodeBody), ["token"] = Marker(IncodeBody) }.ToJsonString());
    }

    public void AnswerEverythingHtml(IncodeStub incode)
    {
        foreach (var (method, path, _) in IncodeCalls.All)
            incode.Respond(method, path, r => r.WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody($"<html>{Marker(IncodeBody)}</html>"));
    }

    public void StallEverything(IncodeStub incode)
    {
        foreach (var (method, path, _) in IncodeCalls.All) incode.Stall(method, path);
    }

    public IEnumerable<Exchange> EveryRoute()
    {
        yield return new("GET /start", new(HttpMethod.Get, "/start"), [SessionToken]);
        yield return new("GET /onboarding-url", new(HttpMethod.Get, "/onboarding-url?redirectionUrl=https%3A%2F%2Ffrontend.example%2Fdone"),
            [SessionToken, OnboardingUrl]);
        yield return new("GET /onboarding-status", new(HttpMethod.Get, "/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718"), []);
        yield return new("GET /fetch-score", FetchScore(Marker(XToken)), []);
        yield return new("POST /auth", Requests.PostText("/auth", Auth().ToJsonString()), []);
        yield return new("POST /webhook", Requests.PostText("/webhook", IncodePayloads.Read("webhook.onboarding-status")), []);
        // A new interview each time: a repeated one would be answered from the first run's record.
        yield return new("POST /approve", Requests.PostText("/approve", $$"""{"interviewId":"redelivery-free-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}"""), [CustomerToken]);
        yield return new("POST /finish", Requests.PostText("/finish", new JsonObject { ["token"] = Marker(FinishToken) }.ToJsonString()), []);
    }

    /// <summary>Refusals whose input holds a secret: the refusal must not quote it.</summary>
    public IEnumerable<Exchange> CallerMistakes()
    {
        var finish = new JsonObject { ["token"] = Marker(FinishToken) }.ToJsonString();
        yield return new("X-Token without interviewId", FetchScore(Marker(XToken), "/fetch-score"), []);
        yield return new("X-Token over 4 KB", FetchScore(Marker(XToken) + new string('x', 5000)), []);
        yield return new("X-Token with CR/LF", FetchScore(Marker(XToken) + "\r\nX: y"), []);
        yield return new("X-Token twice", FetchScore(Marker(XToken) + "\", \"" + Marker(XToken)), []);
        yield return new("token over 4 KB", Requests.PostText("/finish", new JsonObject { ["token"] = Marker(FinishToken) + new string('x', 5000) }.ToJsonString()), []);
        yield return new("token with CR/LF", Requests.PostText("/finish", new JsonObject { ["token"] = Marker(FinishToken) + "\r\nX: y" }.ToJsonString()), []);
        yield return new("token of the wrong type", Requests.PostText("/finish", $$"""{"token":["{{Marker(FinishToken)}}"]}"""), []);
        yield return new("token as a number", Requests.PostText("/finish", $$"""{"token":1,"other":"{{Marker(FinishToken)}}"}"""), []);
        yield return new("truncated /finish", Requests.PostText("/finish", finish[..^2]), []);
        yield return new("/finish body over 64 KB", Requests.PostText("/finish", finish.TrimEnd('}') + $",\"pad\":\"{new string('p', 65 * 1024)}\"}}"), []);
        var auth = Auth();
        auth.Remove("transactionId");
        yield return new("/auth without transactionId", Requests.PostText("/auth", auth.ToJsonString()), []);
        yield return new("truncated /auth", Requests.PostText("/auth", Auth().ToJsonString()[..^5]), []);
        yield return new("/auth with a wrong type", Requests.PostText("/auth", Auth().ToJsonString().Replace($"\"{Marker(AuthToken)}\"", $"{{\"t\":\"{Marker(AuthToken)}\"}}")), []);
        yield return new("/auth with a lone surrogate", Requests.PostText("/auth", Auth().ToJsonString().Replace("\"transactionId\":\"", "\"transactionId\":\"\\ud800")), []);
        yield return new("/auth twice the token", Requests.PostText("/auth", Auth().ToJsonString().TrimEnd('}') + $",\"token\":\"{Marker(AuthToken)}\"}}"), []);
        yield return new("unknown route", new(HttpMethod.Get, $"/nope?token={Marker(XToken)}"), [XToken]); // the 404 quotes what it was sent
        yield return new("unknown route by POST", Requests.PostText("/nope", finish), []);
        yield return new("GET /finish", new(HttpMethod.Get, "/finish") { Headers = { { "X-Token", Marker(XToken) } } }, []);
    }

    /// <summary>
    /// Every marker of every kind found where it may not be: anywhere in what the server wrote down (log,
    /// metrics, spans), in an answer not meant to carry it.
    /// </summary>
    public List<string> LeaksIn(IEnumerable<string> written, IEnumerable<Answer> answers)
    {
        var leaks = new List<string>();
        foreach (var line in written)
            if (line.Contains("CANARY", StringComparison.OrdinalIgnoreCase)) leaks.Add(line);
        foreach (var answer in answers)
        foreach (var kind in Kinds.Except(answer.Exchange.MayReturn))
            if (answer.Text.Contains(kind, StringComparison.OrdinalIgnoreCase)) leaks.Add($"{answer.Exchange.Name} answered {kind}: {answer.Text}");
        return leaks;
    }

    /// <summary>The search means something only if the markers are in use: sent to Incode, and handed back where they belong.</summary>
    public void AssertTheyWereInPlay(IncodeStub incode, IReadOnlyList<Answer> answers)
    {
        Assert.Contains(incode.Calls, c => c.Header("x-api-key") == Marker(ApiKey));
        Assert.Contains(incode.Calls, c => c.HasHeader("X-Incode-Hardware-Id") && c.Header("X-Incode-Hardware-Id") == Marker(AdminToken));
        Assert.Contains(answers, a => a.Exchange.Name == "GET /start resumed" && a.Text.Contains(Marker(SessionToken)));
        Assert.Contains(answers, a => a.Exchange.Name == "GET /onboarding-url" && a.Text.Contains(Marker(OnboardingUrl)));
        Assert.Contains(answers, a => a.Exchange.Name == "POST /approve" && a.Text.Contains(Marker(CustomerToken)));
    }

    private JsonObject Auth() => new()
    {
        ["transactionId"] = Marker(AuthTransaction), ["token"] = Marker(AuthToken), ["interviewToken"] = Marker(AuthInterviewToken),
    };

    private static HttpRequestMessage FetchScore(string token, string target = "/fetch-score?interviewId=6650f0c2a1b2c3d4e5f60718")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.TryAddWithoutValidation("X-Token", token);
        return request;
    }
}
