using System.Text;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Xunit.Abstractions;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// Every secret set to a unique marker, every route run through success, Incode failing, Incode slow
/// and the caller's mistakes; then every log event, metric, exported span and answer is searched for
/// the markers. The only ones allowed out are those a route exists to hand over, in that route's answer.
/// </summary>
public abstract class SecretCanaryRun(ITestOutputHelper output) : IDisposable
{
    protected ITestOutputHelper Output { get; } = output;
    private protected readonly Canaries _canary = new();
    private protected readonly IncodeStub _incode = new();
    private protected readonly OtlpReceiver _receiver = new();
    private protected readonly string _root = Directory.CreateTempSubdirectory("incodeslices-secrets-").FullName;

    /// <summary>
    /// What the server wrote down: its log, its metrics and the spans it exported, each marked by kind.
    /// The search means something only if each holds what the routes did.
    /// </summary>
    private protected List<string> Written(IEnumerable<string> log, string scrape)
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
    /// <paramref name="outwaitIncode"/> has let the server give up, once that many routes have
    /// reached Incode); then the caller's mistakes. A face authentication verified in a round is
    /// started while Incode still answers well.
    /// </summary>
    private protected async Task<List<Answer>> RunEveryRouteAsync(HttpClient client, Func<int, Task> outwaitIncode)
    {
        var answers = new List<Answer>();
        async Task Send(Exchange exchange)
        {
            var response = await client.SendAsync(exchange.Request);
            var text = new StringBuilder().Append((int)response.StatusCode).Append('\n').Append(response.Headers)
                .Append(response.Content.Headers).Append('\n').Append(await response.Content.ReadAsStringAsync());
            lock (answers) answers.Add(new Answer(exchange, text.ToString()));
        }

        JsonNode LastBody() => JsonNode.Parse(answers[^1].Text[answers[^1].Text.IndexOf('{')..])!;
        async Task<StartedFaceAuth> StartFaceAuthAsync()
        {
            _canary.AnswerWell(_incode);
            await Send(_canary.FaceAuthStart());
            Assert.StartsWith("200", answers[^1].Text);
            return new StartedFaceAuth(LastBody()["token"]!.GetValue<string>(), LastBody()["interviewId"]!.GetValue<string>());
        }

        _canary.AnswerWell(_incode);
        foreach (var exchange in _canary.TokenRequests()) await Send(exchange);
        _canary.KeepIssuedTokens(answers);
        await Send(new("GET /start", new(HttpMethod.Get, "/start"), [Canaries.SessionToken]));
        Assert.StartsWith("200", answers[^1].Text);
        var uniqueId = LastBody()["uniqueId"]!.GetValue<string>();
        await Send(new("GET /start resumed", new(HttpMethod.Get, $"/start?uniqueId={uniqueId}"), [Canaries.SessionToken]));
        foreach (var exchange in _canary.EveryRoute(await StartFaceAuthAsync())) await Send(exchange);
        _canary.AssertTheyWereInPlay(_incode, answers);

        foreach (var misbehave in new Action<IncodeStub>[] { _canary.AnswerEverything500, _canary.AnswerEverythingHtml })
        {
            var pending = await StartFaceAuthAsync();
            _incode.Reset();
            misbehave(_incode);
            await Task.WhenAll(_canary.EveryRoute(pending).Select(exchange => Send(exchange with { MayReturn = [] })));
        }
        var verifiedWhileStalled = await StartFaceAuthAsync();
        _incode.Reset();
        _canary.StallEverything(_incode);
        var routes = _canary.EveryRoute(verifiedWhileStalled).ToList();
        var stalled = Task.WhenAll(routes.Select(exchange => Send(exchange with { MayReturn = [] }))); // together: one timeout for all
        await outwaitIncode(routes.Count);
        await stalled;

        foreach (var exchange in _canary.CallerMistakes(await StartFaceAuthAsync())) await Send(exchange);
        return answers;
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _incode.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}

/// <summary>
/// The run in memory, exporting its spans from the test process: with the other servers of tracing
/// tests, it runs alone (<see cref="ProcessWideTracing"/>).
/// </summary>
[Collection(ProcessWideTracing.Name)]
[Trait("Category", ServerProcess.Category)]
public sealed class SecretCanaryTests(ITestOutputHelper output) : SecretCanaryRun(output)
{
    [Fact]
    public async Task No_secret_reaches_a_log_event_a_metric_a_span_or_an_answer_it_is_not_meant_for()
    {
        var settings = _canary.Settings(Path.Combine(_root, "sessions"));
        foreach (var (key, value) in _receiver.Settings) settings[key] = value;
        using var api = TestApp.WithMetricsPort(_incode, settings);

        // The stalled round: once every route's first Incode call has arrived, their time for Incode passes.
        var answers = await RunEveryRouteAsync(api.Client, async routes =>
        {
            await _incode.WaitUntilAsync(() => _incode.Arrivals >= routes);
            api.Clock.Advance(TestApp.IncodeTimeout);
        });
        var scrape = await api.ScrapeAsync();
        await api.FlushTracesAsync();

        var logs = api.Logs;
        var written = Written(logs.Events, scrape);
        var leaks = _canary.LeaksIn(written, answers);
        Output.WriteLine($"{answers.Count} answers, {logs.Events.Count} log events, {written.Count(w => w.StartsWith("span", StringComparison.Ordinal))} spans "
            + $"and {written.Count(w => w.StartsWith("metric", StringComparison.Ordinal))} metric lines searched; {leaks.Count} leaks; statuses: "
            + string.Join(", ", answers.GroupBy(a => a.Text[..3]).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(30)));
    }
}

/// <summary>The run against the real process, which exports its spans from a process of its own.</summary>
public sealed class SecretCanaryProcessTests(ITestOutputHelper output) : SecretCanaryRun(output)
{
    [Fact]
    public async Task No_secret_reaches_the_real_process_s_JSON_console_metrics_or_spans()
    {
        // A real process keeps real time: its stalled round lasts one INCODE_TIMEOUT_SECONDS.
        var settings = _canary.Settings(Path.Combine(_root, "sessions"));
        settings["INCODE_TIMEOUT_SECONDS"] = settings["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "6";
        settings["LOG_FORMAT"] = "json";
        var metricsPort = FreePorts.Next();
        settings["METRICS_PORT"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in _receiver.Settings) settings[key] = value;
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root, settings);

        var answers = await RunEveryRouteAsync(new HttpClient { BaseAddress = server.BaseAddress }, _ => Task.CompletedTask);
        using var metrics = new HttpClient();
        var scrape = await metrics.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        await server.StopAsync(TimeSpan.FromSeconds(30)); // the log is written in the background, spans in batches: all of it once the process has ended

        var console = server.Output.Split('\n');
        Assert.Contains(console, line => line.Contains(@"HTTP \""POST\"" \""/finish\"" responded", StringComparison.Ordinal)); // the last routes' lines are there
        var written = Written(console, scrape);
        var leaks = _canary.LeaksIn(written, answers);
        Output.WriteLine($"{answers.Count} answers, {console.Length} console lines, {_receiver.Spans.Count} spans and a scrape searched; {leaks.Count} leaks");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(30)));
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
    public const string Identity = "CANARY-IDENTITY"; // claimed at /face-auth/start, matched by Incode: a valid verify returns it
    public const string ForgedToken = "CANARY-FORGEDTOKEN"; // a token sent to /face-auth/verify that is not the session's
    public const string ClientSecret = "CANARY-CLIENTSECRET"; // WEBHOOK_OAUTH_CLIENT_SECRET
    public const string SigningKey = "CANARY-SIGNINGKEY"; // WEBHOOK_OAUTH_SIGNING_KEY

    /// <summary>Not a marker: a JWT that /oauth/token issued (found by its signature), which only that answer may carry.</summary>
    public const string IssuedToken = "issued token";

    private const string ClientId = "incode-canary";

    private static readonly string[] Kinds =
    [
        ApiKey, AdminToken, SessionToken, OnboardingUrl, CustomerToken, XToken, FinishToken, AuthTransaction, AuthToken, AuthInterviewToken,
        IncodeBody, Identity, ForgedToken, ClientSecret, SigningKey,
    ];

    private readonly List<string> _issuedTokens = [];

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    public string Marker(string kind) => $"{kind}-{_run}";

    public Dictionary<string, string?> Settings(string sessions) => new()
    {
        ["API_KEY"] = Marker(ApiKey),
        ["ADMIN_TOKEN"] = Marker(AdminToken),
        ["FLOW_ID"] = IncodeStub.FlowId,
        ["SESSIONS_DIR"] = sessions,
        ["WEBHOOK_OAUTH_CLIENT_ID"] = ClientId,
        ["WEBHOOK_OAUTH_CLIENT_SECRET"] = Marker(ClientSecret),
        ["WEBHOOK_OAUTH_SIGNING_KEY"] = Marker(SigningKey) + "-long-enough-for-HS256",
    };

    /// <summary>Incode's token requests, right and wrong: the secret travels as Basic credentials or form fields.</summary>
    public IEnumerable<Exchange> TokenRequests()
    {
        yield return new("POST /oauth/token", TokenRequest(Basic(Marker(ClientSecret)), "grant_type=client_credentials"), [IssuedToken]);
        yield return new("POST /oauth/token by form", TokenRequest(null,
            $"grant_type=client_credentials&client_id={ClientId}&client_secret={Marker(ClientSecret)}"), [IssuedToken]);
    }

    /// <summary>The tokens the exchanges of <see cref="TokenRequests"/> were given; the webhook deliveries carry the first.</summary>
    public void KeepIssuedTokens(IEnumerable<Answer> answers)
    {
        foreach (var answer in answers.Where(a => a.Exchange.MayReturn.Contains(IssuedToken)))
        {
            Assert.StartsWith("200", answer.Text);
            _issuedTokens.Add(JsonNode.Parse(answer.Text[answer.Text.IndexOf('{')..])!["access_token"]!.GetValue<string>());
        }
    }

    private HttpRequestMessage Delivery(string route, string body, string? token = null)
    {
        var request = Requests.PostText(route, body);
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token ?? _issuedTokens[0]}");
        return request;
    }

    private static string Basic(string secret) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{secret}"));

    private static HttpRequestMessage TokenRequest(string? basic, string form, string contentType = "application/x-www-form-urlencoded")
    {
        var request = Requests.PostText("/oauth/token", form, contentType);
        if (basic is not null) request.Headers.TryAddWithoutValidation("Authorization", $"Basic {basic}");
        return request;
    }

    public void AnswerWell(IncodeStub incode)
    {
        incode.Reset();
        var approval = IncodePayloads.ReadObject("process-approve.response");
        approval["token"] = Marker(CustomerToken);
        foreach (var (method, path, payload) in IncodeCalls.All.Where(c => c.Path != IncodePaths.Start))
            incode.Answer(method, path, 200, path switch
            {
                IncodePaths.OnboardingUrl => new JsonObject { ["url"] = $"https://onboarding.example/flow?session={Marker(OnboardingUrl)}" }.ToJsonString(),
                IncodePaths.ProcessApprove => approval.ToJsonString(),
                IncodePaths.Score => FaceAuthRequests.Score(identityId: Marker(Identity)), // a face authentication's: it carries the identity
                _ => IncodePayloads.Read(payload),
            });
        // A new interview each time (a face-auth session is stored under it), always with the marked token.
        incode.Respond("POST", IncodePaths.Start, r => r.WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(_ =>
        {
            var start = IncodeStub.StartAnswer;
            start["token"] = Marker(SessionToken);
            start["interviewId"] = Guid.NewGuid().ToString("N")[..24];
            return start.ToJsonString();
        }));
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

    public Exchange FaceAuthStart() =>
        new("POST /face-auth/start", FaceAuthRequests.Start(Marker(Identity)), [SessionToken]);

    /// <summary>Every route once; <paramref name="pending"/> is the face authentication to verify.</summary>
    public IEnumerable<Exchange> EveryRoute(StartedFaceAuth pending)
    {
        yield return new("GET /start", new(HttpMethod.Get, "/start"), [SessionToken]);
        yield return new("GET /onboarding-url", new(HttpMethod.Get, "/onboarding-url?redirectionUrl=https%3A%2F%2Ffrontend.example%2Fdone"),
            [SessionToken, OnboardingUrl]);
        yield return new("GET /onboarding-status", new(HttpMethod.Get, "/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718"), []);
        yield return new("GET /fetch-score", FetchScore(Marker(XToken)), []);
        yield return new("POST /auth", Requests.PostText("/auth", Auth().ToJsonString()), []);
        yield return new("POST /webhook", Delivery("/webhook", IncodePayloads.Read("webhook.onboarding-status")), []);
        // A new interview each time: a repeated one would be answered from the first run's record.
        yield return new("POST /approve", Delivery("/approve", $$"""{"interviewId":"redelivery-free-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}"""), [CustomerToken]);
        yield return new("POST /finish", Requests.PostText("/finish", new JsonObject { ["token"] = Marker(FinishToken) }.ToJsonString()), []);
        yield return FaceAuthStart();
        yield return new("POST /face-auth/verify", FaceAuthRequests.Verify(pending, Marker(Identity)), [Identity]);
    }

    /// <summary>Refusals whose input holds a secret: the refusal must not quote it. <paramref name="pending"/> is a face authentication to tamper with.</summary>
    public IEnumerable<Exchange> CallerMistakes(StartedFaceAuth pending)
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
        yield return new("/face-auth/verify with a forged token", FaceAuthRequests.Verify(pending.InterviewId, Marker(ForgedToken), Marker(Identity)), []);
        yield return new("/face-auth/verify replayed", FaceAuthRequests.Verify(pending, Marker(Identity)), []);
        yield return new("/face-auth/verify of no session", FaceAuthRequests.Verify("6650f0c2a1b2c3d4e5f60718", Marker(ForgedToken), Marker(Identity)), []);
        yield return new("/face-auth/verify without candidate", Requests.PostText("/face-auth/verify",
            new JsonObject { ["interviewId"] = pending.InterviewId, ["token"] = Marker(ForgedToken) }.ToJsonString()), []);
        yield return new("/face-auth/verify with a wrong type", Requests.PostText("/face-auth/verify",
            $$"""{"interviewId":"{{pending.InterviewId}}","token":["{{Marker(ForgedToken)}}"],"candidate":"{{Marker(Identity)}}"}"""), []);
        yield return new("/face-auth/start with an identityId over 128", FaceAuthRequests.Start(Marker(Identity) + new string('x', 200)), []);
        yield return new("/face-auth/start with CR/LF in identityId", FaceAuthRequests.Start(Marker(Identity) + "\r\nX: y"), []);
        yield return new("/face-auth/start with an identityId object", Requests.PostText("/face-auth/start",
            $$$"""{"identityId":{"id":"{{{Marker(Identity)}}}"}}"""), []);

        var wrongSecret = Marker(ClientSecret) + "-wrong";
        yield return new("token: wrong secret", TokenRequest(Basic(wrongSecret), "grant_type=client_credentials"), []);
        yield return new("token: wrong secret in the form", TokenRequest(null, $"grant_type=client_credentials&client_id={ClientId}&client_secret={wrongSecret}"), []);
        yield return new("token: secret as the client id", TokenRequest(null, $"grant_type=client_credentials&client_id={Marker(ClientSecret)}&client_secret=x"), []);
        yield return new("token: another grant", TokenRequest(Basic(Marker(ClientSecret)), "grant_type=password&password=" + Marker(ClientSecret)), []);
        yield return new("token: JSON", TokenRequest(Basic(Marker(ClientSecret)), $$"""{"grant_type":"client_credentials","client_secret":"{{Marker(ClientSecret)}}"}""", "application/json"), []);
        yield return new("token: over 64 KB", TokenRequest(null, $"client_secret={Marker(ClientSecret)}&pad={new string('p', 65 * 1024)}"), []);
        yield return new("token: secret twice", TokenRequest(null, $"grant_type=client_credentials&client_id={ClientId}&client_secret={Marker(ClientSecret)}&client_secret={Marker(ClientSecret)}"), []);
        var finished = IncodePayloads.Read("webhook.onboarding-status");
        yield return new("webhook: tampered token", Delivery("/webhook", finished, _issuedTokens[0] + "x"), []);
        yield return new("webhook: client secret as a bearer", Delivery("/approve", finished, Marker(ClientSecret)), []);
        yield return new("webhook: signing key as a bearer", Delivery("/webhook", "not json " + Marker(SigningKey), Marker(SigningKey)), []);
    }

    /// <summary>
    /// Every marker of every kind found where it may not be: anywhere in what the server wrote down (log,
    /// metrics, spans), in an answer not meant to carry it.
    /// </summary>
    public List<string> LeaksIn(IEnumerable<string> written, IEnumerable<Answer> answers)
    {
        // An issued token is found by its signature; Basic credentials as they travel, in base64.
        Assert.NotEmpty(_issuedTokens);
        var signatures = _issuedTokens.Select(token => token.Split('.')[2]).ToList();
        string[] basics = [Basic(Marker(ClientSecret)), Basic(Marker(ClientSecret) + "-wrong")];

        var leaks = new List<string>();
        foreach (var line in written)
        {
            if (line.Contains("CANARY", StringComparison.OrdinalIgnoreCase)) leaks.Add(line);
            if (signatures.Any(line.Contains) || basics.Any(line.Contains)) leaks.Add(line);
        }
        foreach (var answer in answers)
        {
            foreach (var kind in Kinds.Except(answer.Exchange.MayReturn))
                if (answer.Text.Contains(kind, StringComparison.OrdinalIgnoreCase)) leaks.Add($"{answer.Exchange.Name} answered {kind}: {answer.Text}");
            if (!answer.Exchange.MayReturn.Contains(IssuedToken) && signatures.Any(answer.Text.Contains))
                leaks.Add($"{answer.Exchange.Name} answered an issued token: {answer.Text}");
            if (basics.Any(answer.Text.Contains)) leaks.Add($"{answer.Exchange.Name} answered Basic credentials: {answer.Text}");
        }
        return leaks;
    }

    /// <summary>The search means something only if the markers are in use: sent to Incode, and handed back where they belong.</summary>
    public void AssertTheyWereInPlay(IncodeStub incode, IReadOnlyList<Answer> answers)
    {
        Assert.Contains(incode.Calls, c => c.Header("x-api-key") == Marker(ApiKey));
        Assert.Contains(incode.Calls, c => c.HasHeader("X-Incode-Hardware-Id") && c.Header("X-Incode-Hardware-Id") == Marker(AdminToken));
        Assert.Contains(answers, a => a.Exchange.Name == "GET /start resumed" && a.Text.Contains(Marker(SessionToken)));
        Assert.Contains(answers, a => a.Exchange.Name == "GET /onboarding-url" && a.Text.Contains(Marker(OnboardingUrl)));
        Assert.Contains(answers, a => a.Exchange.Name == "POST /approve" && a.Text.Contains(Marker(CustomerToken))); // let in by the token
        Assert.Equal(2, _issuedTokens.Count);
        Assert.Contains(answers, a => a.Exchange.Name == "POST /face-auth/verify" && a.Text.Contains(Marker(Identity))); // claimed, stored, matched, answered
        Assert.Contains(incode.CallsTo(IncodePaths.FinishStatus), c => c.Header("X-Incode-Hardware-Id") == Marker(SessionToken));
    }

    private JsonObject Auth() => new()
    {
        ["transactionId"] = Marker(AuthTransaction),
        ["token"] = Marker(AuthToken),
        ["interviewToken"] = Marker(AuthInterviewToken),
    };

    private static HttpRequestMessage FetchScore(string token, string target = "/fetch-score?interviewId=6650f0c2a1b2c3d4e5f60718")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.TryAddWithoutValidation("X-Token", token);
        return request;
    }
}
