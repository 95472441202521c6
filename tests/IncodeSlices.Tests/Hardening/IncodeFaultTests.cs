using System.Diagnostics;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using WireMock.ResponseBuilders;
using Xunit.Abstractions;

namespace IncodeSlices.Tests.Hardening;

public enum Misbehaviour
{
    Status500, Status503, Status429, SlowerThanTheTimeout,
    EmptyBody, GarbledBody, NotJson, JsonNull, JsonArray, FiftyMegabytes,
    Reset, BrokenChunks, StalledBody, FiftyMegabytesChunked,
}

/// <summary>A WireMock Incode and a raw-socket one, each behind its own server; both servers run with a 3 s total and 1 s per attempt timeout.</summary>
public sealed class IncodeFaultFixture : IDisposable
{
    public IncodeFaultFixture()
    {
        OverWireMock = new ApiFactory(Incode, Timeouts());
        OverSocket = new ApiFactory(Incode, new Dictionary<string, string?>(Timeouts()) { ["API_URL"] = Rude.Url });
        WireMockClient = OverWireMock.CreateClient();
        SocketClient = OverSocket.CreateClient();
        WarmUp();
    }

    /// <summary>
    /// One good answer per call first, so that no timed request pays for start-up and JIT. A cold
    /// first call can itself outlast the 1 s attempt timeout, so each is tried until it succeeds.
    /// </summary>
    private void WarmUp()
    {
        Incode.AnswerAll();
        foreach (var (_, path, _) in IncodeCalls.All)
        foreach (var client in new[] { WireMockClient, SocketClient })
        {
            for (var attempt = 1; ; attempt++)
            {
                using var response = client.SendAsync(IncodeFaultTests.RequestThatCalls(path)).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) break;
                if (attempt == 5) response.EnsureSuccessStatusCode();
            }
        }
    }

    // Three attempts of a second fit with room for backoff: with a total of 2 s, a loaded machine
    // sometimes began the second attempt too late to reach the stub, and a retry went unseen.
    public const double TotalTimeoutSeconds = 3;

    /// <summary>A second per attempt, well under the misbehaviours' delays.</summary>
    private static Dictionary<string, string?> Timeouts() => new()
    {
        ["INCODE_TIMEOUT_SECONDS"] = TotalTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "1",
    };
    public const int ReadRetries = 2; // IncodeOptions' default

    public IncodeStub Incode { get; } = new();
    public RudeIncode Rude { get; } = new();
    public ApiFactory OverWireMock { get; }
    public ApiFactory OverSocket { get; }
    public HttpClient WireMockClient { get; }
    public HttpClient SocketClient { get; }

    public void Dispose()
    {
        WireMockClient.Dispose();
        SocketClient.Dispose();
        OverWireMock.Dispose();
        OverSocket.Dispose();
        Rude.Dispose();
        Incode.Dispose();
    }
}

/// <summary>
/// Every Incode call, every way Incode can fail it: the caller gets a 502 or 504 in the contract's
/// shape, within the total timeout plus a second, and only reads are tried again.
/// </summary>
[Collection(HardeningCollection.Name), Trait("Category", "Hardening")]
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
    public async Task Answers_502_or_504_in_time_and_retries_only_reads(string call, Misbehaviour how)
    {
        var overSocket = how is Misbehaviour.Reset or Misbehaviour.BrokenChunks or Misbehaviour.StalledBody or Misbehaviour.FiftyMegabytesChunked;
        if (overSocket) _app.Rude.Fault = (call, ToRudeness(how));
        else StubAllBut(call, how);
        var client = overSocket ? _app.SocketClient : _app.WireMockClient;

        var clock = Stopwatch.StartNew();
        var response = await client.SendAsync(RequestThatCalls(call));
        var elapsed = clock.Elapsed;
        var text = await response.Content.ReadAsStringAsync();
        var isRead = IncodeCalls.All.Single(c => c.Path == call).Method == "GET";
        if (how == Misbehaviour.SlowerThanTheTimeout) await WaitUntilWireMockLoggedTheSlowCallsAsync(clock);
        var calls = overSocket ? _app.Rude.CallsTo(call) : await WireMockCallsToAsync(call, atLeast: isRead && IsTransient(how) ? 2 : 1);
        _output.WriteLine($"{call} {how}: {(int)response.StatusCode} in {elapsed.TotalMilliseconds:0} ms after {calls} call(s): {text}");

        int[] expected = how switch
        {
            Misbehaviour.SlowerThanTheTimeout or Misbehaviour.StalledBody => [504],
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
        Assert.True(elapsed.TotalSeconds <= IncodeFaultFixture.TotalTimeoutSeconds + 1, $"answered after {elapsed.TotalMilliseconds:0} ms");

        if (!isRead) Assert.Equal(1, calls);
        else if (IsTransient(how)) Assert.InRange(calls, 2, 1 + IncodeFaultFixture.ReadRetries);
        else Assert.Equal(1, calls);
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

        var response = await _app.WireMockClient.SendAsync(RequestThatCalls(call));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Single(_app.Incode.CallsTo(call));
    }

    /// <summary>
    /// WireMock logs a call when it has answered it, so a call slower than the timeout shows up only
    /// after its delay: wait for every attempt that could have been made to be logged.
    /// </summary>
    private static async Task WaitUntilWireMockLoggedTheSlowCallsAsync(Stopwatch sinceFirstAttempt)
    {
        var lastAttemptLogged = TimeSpan.FromSeconds(IncodeFaultFixture.TotalTimeoutSeconds) + SlowAnswer + TimeSpan.FromMilliseconds(500);
        if (lastAttemptLogged > sinceFirstAttempt.Elapsed) await Task.Delay(lastAttemptLogged - sinceFirstAttempt.Elapsed);
    }

    /// <summary>WireMock logs a call once it has written the answer, which for 50 MB to a client that hung up takes a while.</summary>
    private async Task<int> WireMockCallsToAsync(string call, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_app.Incode.CallsTo(call).Count < atLeast && DateTime.UtcNow < deadline) await Task.Delay(50);
        return _app.Incode.CallsTo(call).Count;
    }

    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(2.5);

    /// <summary>What the standard retry treats as worth another try: 5xx, 429, timeouts, no connection.</summary>
    private static bool IsTransient(Misbehaviour how) =>
        how is Misbehaviour.Status500 or Misbehaviour.Status503 or Misbehaviour.Status429 or Misbehaviour.SlowerThanTheTimeout or Misbehaviour.Reset;

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
            Misbehaviour.SlowerThanTheTimeout => json.WithStatusCode(200).WithBody(goodBody).WithDelay(SlowAnswer),
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
        IncodePaths.AuthenticationVerify => Http.PostJson("/auth", IncodePayloads.Read("authentication-verify.request")),
        // A new interview each time: /approve answers a repeated one from its record, without calling Incode.
        IncodePaths.ProcessApprove => Http.PostJson("/approve", $$"""{"interviewId":"fault-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}"""),
        IncodePaths.FinishStatus => Http.PostJson("/finish", """{"token":"session-token"}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, "no route makes this call"),
    };
}
