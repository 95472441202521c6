using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using WireMock.ResponseBuilders;
using Xunit.Abstractions;

namespace IncodeSlices.Tests.Infrastructure.Incode;

public enum Misbehaviour
{
    Status500, Status503, Status429, NeverAnswers,
    EmptyBody, GarbledBody, NotJson, JsonNull, JsonArray, FiftyMegabytes,
    Reset, BrokenChunks, StalledBody, FiftyMegabytesChunked,
}

/// <summary>A WireMock Incode and a raw-socket one, each behind a server of its own.</summary>
public sealed class IncodeFaultFixture : IDisposable
{
    public IncodeFaultFixture()
    {
        OverWireMock = TestApp.WithStub(Incode, Attempts);
        OverSocket = TestApp.WithStub(Incode, new Dictionary<string, string?>(Attempts) { ["API_URL"] = Rude.Url });
    }

    /// <summary>Attempts shorter than the request's 60 s, so that a read stalled at Incode is tried again.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(25);

    private static readonly Dictionary<string, string?> Attempts = new() { ["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "25" };

    public const int ReadRetries = 2; // IncodeOptions' default

    public IncodeStub Incode { get; } = new();
    public RudeIncode Rude { get; } = new();
    public TestApp OverWireMock { get; }
    public TestApp OverSocket { get; }

    public void Dispose()
    {
        OverWireMock.Dispose();
        OverSocket.Dispose();
        Rude.Dispose();
        Incode.Dispose();
    }
}

/// <summary>
/// Every Incode call, every way Incode can fail it: the caller gets a 502 or 504 in the contract's
/// shape, and only reads are tried again. Where Incode never answers, the test lets the server's
/// time pass (<see cref="TestClock"/>) once the call has arrived, attempt by attempt.
/// </summary>
public sealed class IncodeFaultTests : IClassFixture<IncodeFaultFixture>
{
    private readonly IncodeFaultFixture _app;
    private readonly ITestOutputHelper _output;

    public IncodeFaultTests(IncodeFaultFixture app, ITestOutputHelper output)
    {
        _app = app;
        _output = output;
        _app.Incode.Reset();
        _app.Rude.Reset();
    }

    public static TheoryData<string, Misbehaviour> EveryCallAndFault()
    {
        var cases = new TheoryData<string, Misbehaviour>();
        foreach (var (_, path, _) in IncodeCalls.All)
            foreach (var how in Enum.GetValues<Misbehaviour>())
                cases.Add(path, how);
        return cases;
    }

    [Theory]
    [MemberData(nameof(EveryCallAndFault))]
    public async Task Answers_502_or_504_and_retries_only_reads(string call, Misbehaviour how)
    {
        var overSocket = how is Misbehaviour.Reset or Misbehaviour.BrokenChunks or Misbehaviour.StalledBody or Misbehaviour.FiftyMegabytesChunked;
        if (overSocket) _app.Rude.Fault = (call, ToRudeness(how));
        else StubAllBut(call, how);
        var app = overSocket ? _app.OverSocket : _app.OverWireMock;
        Func<int> calls = overSocket ? () => _app.Rude.CallsTo(call) : () => _app.Incode.ArrivalsAt(call);
        Func<int, Task> arrived = overSocket ? n => _app.Rude.WaitForCallsAsync(call, n) : n => _app.Incode.WaitForArrivalsAsync(call, n);

        var pending = app.Client.SendAsync(RequestThatCalls(call));
        var response = await LetTimePassAsync(pending, app.Clock, arrived, how);
        var text = await response.Content.ReadAsStringAsync();
        var isRead = IncodeCalls.All.Single(c => c.Path == call).Method == "GET";
        _output.WriteLine($"{call} {how}: {(int)response.StatusCode} after {calls()} call(s): {text}");

        int[] expected = how switch
        {
            Misbehaviour.NeverAnswers or Misbehaviour.StalledBody => [504],
            // Incode's Retry-After is honoured, so a read can run out of time waiting to try again.
            Misbehaviour.Status429 => [502, 504],
            _ => [502],
        };
        Assert.True(expected.Contains((int)response.StatusCode), $"expected {string.Join(" or ", expected)}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["success", "error"], body.Select(p => p.Key));
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.StartsWith($"Incode {call} ", body["error"]!.GetValue<string>());
        Assert.DoesNotContain("Exception", text);

        if (!isRead) Assert.Equal(1, calls());
        else if (IsTransient(how)) Assert.InRange(calls(), 2, 1 + IncodeFaultFixture.ReadRetries);
        else Assert.Equal(1, calls());
    }

    /// <summary>
    /// Where only time ends the call, the clock moves on once each attempt has reached Incode: by an
    /// attempt's timeout (a stalled answer, whose next attempt then arrives), or by Incode's
    /// Retry-After (429). Every other misbehaviour ends on its own.
    /// </summary>
    private static async Task<HttpResponseMessage> LetTimePassAsync(
        Task<HttpResponseMessage> pending, TestClock clock, Func<int, Task> arrived, Misbehaviour how)
    {
        var step = how switch
        {
            Misbehaviour.NeverAnswers => IncodeFaultFixture.AttemptTimeout,
            Misbehaviour.StalledBody => TestApp.IncodeTimeout, // the body is past the attempt; the request's deadline ends it
            Misbehaviour.Status429 => TimeSpan.FromSeconds(1),
            _ => TimeSpan.Zero,
        };
        if (step == TimeSpan.Zero) return await pending;

        for (var attempt = 1; ; attempt++)
        {
            var next = arrived(attempt);
            if (await Task.WhenAny(pending, next) == pending) return await pending;
            if (how != Misbehaviour.Status429) Assert.False(pending.IsCompleted, "answered before Incode's time was up");
            clock.Advance(step);
        }
    }

    [Theory]
    [InlineData(IncodePaths.Start, 502, """{"success":false,"error":"Incode /omni/start answered without token"}""")]
    [InlineData(IncodePaths.OnboardingUrl, 502, """{"success":false,"error":"Incode /0/omni/onboarding-url answered without url"}""")]
    [InlineData(IncodePaths.OnboardingStatus, 502, """{"success":false,"error":"Incode /omni/get/onboarding/status answered without onboardingStatus"}""")]
    [InlineData(IncodePaths.Score, 200, """{"success":true,"score":"FAIL"}""")] // the contract: a missing status is a FAIL
    [InlineData(IncodePaths.AuthenticationVerify, 200, "{}")] // the contract: Incode's JSON unchanged
    [InlineData(IncodePaths.FinishStatus, 200, "{}")] // the contract: Incode's JSON unchanged
    public async Task An_answer_with_fields_missing_is_a_502_where_the_server_needs_them_and_passed_on_where_the_contract_says_so(
        string call, int status, string body)
    {
        foreach (var (method, path, payload) in IncodeCalls.All)
            _app.Incode.Answer(method, path, 200, path == call ? "{}" : IncodePayloads.Read(payload));

        var response = await _app.OverWireMock.Client.SendAsync(RequestThatCalls(call));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Single(_app.Incode.CallsTo(call));
    }

    /// <summary>What the standard retry treats as worth another try: 5xx, 429, timeouts, no connection.</summary>
    private static bool IsTransient(Misbehaviour how) =>
        how is Misbehaviour.Status500 or Misbehaviour.Status503 or Misbehaviour.Status429 or Misbehaviour.NeverAnswers or Misbehaviour.Reset;

    private static Rudeness ToRudeness(Misbehaviour how) => how switch
    {
        Misbehaviour.Reset => Rudeness.Reset,
        Misbehaviour.BrokenChunks => Rudeness.BrokenChunks,
        Misbehaviour.StalledBody => Rudeness.StalledBody,
        _ => Rudeness.HugeChunkedBody,
    };

    /// <summary>Every call answered well but <paramref name="call"/>, which misbehaves.</summary>
    private void StubAllBut(string call, Misbehaviour how)
    {
        foreach (var (method, path, payload) in IncodeCalls.All)
        {
            if (path != call) _app.Incode.AnswerPayload(method, path, payload);
            else if (how == Misbehaviour.NeverAnswers) _app.Incode.Stall(method, path);
            else _app.Incode.Respond(method, path, r => Misbehave(r, IncodePayloads.Read(payload), how));
        }
    }

    private static IResponseBuilder Misbehave(IResponseBuilder response, string goodBody, Misbehaviour how)
    {
        var json = response.WithHeader("Content-Type", "application/json");
        return how switch
        {
            Misbehaviour.Status500 => json.WithStatusCode(500).WithBody(IncodePayloads.Read("error.response")),
            Misbehaviour.Status503 => response.WithStatusCode(503).WithHeader("Content-Type", "text/html").WithBody("<h1>Service Unavailable</h1>"),
            Misbehaviour.Status429 => json.WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("""{"error":"Too Many Requests"}"""),
            Misbehaviour.EmptyBody => json.WithStatusCode(200).WithBody(goodBody).WithFault(FaultType.EMPTY_RESPONSE),
            Misbehaviour.GarbledBody => json.WithStatusCode(200).WithBody(goodBody).WithFault(FaultType.MALFORMED_RESPONSE_CHUNK),
            Misbehaviour.NotJson => response.WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html><body>Maintenance</body></html>"),
            Misbehaviour.JsonNull => json.WithStatusCode(200).WithBody("null"),
            Misbehaviour.JsonArray => json.WithStatusCode(200).WithBody("[]"),
            Misbehaviour.FiftyMegabytes => json.WithStatusCode(200).WithBody(FiftyMegabytes.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(how), how, "not a WireMock fault"),
        };
    }

    private static readonly Lazy<byte[]> FiftyMegabytes = new(() =>
        System.Text.Encoding.ASCII.GetBytes("[" + string.Concat(Enumerable.Repeat("\"0123456789abcd\",", RudeIncode.HugeBodyBytes / 17)) + "0]"));

    /// <summary>A request to the route that makes <paramref name="call"/>, every other call on its way answered well.</summary>
    internal static HttpRequestMessage RequestThatCalls(string call) => call switch
    {
        IncodePaths.Start => new(HttpMethod.Get, "/start"),
        IncodePaths.OnboardingUrl => new(HttpMethod.Get, "/onboarding-url"),
        IncodePaths.OnboardingStatus => new(HttpMethod.Get, "/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718"),
        IncodePaths.Score => new(HttpMethod.Get, "/fetch-score?interviewId=6650f0c2a1b2c3d4e5f60718") { Headers = { { "X-Token", "session-token" } } },
        IncodePaths.AuthenticationVerify => Requests.PostJson("/auth", IncodePayloads.Read("authentication-verify.request")),
        // A new interview each time: /approve answers a repeated one from its record, without calling Incode.
        IncodePaths.ProcessApprove => Requests.PostJson("/approve", $$"""{"interviewId":"fault-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}"""),
        IncodePaths.FinishStatus => Requests.PostJson("/finish", """{"token":"session-token"}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, "no route makes this call"),
    };
}
