using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// WireMock standing in for Incode's <c>/omni</c> and <c>/0/omni</c>, answering with the contract's
/// example payloads. Besides WireMock's log (a request is logged once answered) it counts requests as
/// they arrive, so a test can wait for a call that Incode is "still working on".
/// </summary>
public sealed class IncodeStub : IDisposable
{
    public const string ApiKey = "test-api-key-0001";
    public const string AdminToken = "test-admin-token-0001";
    public const string FlowId = "65283accd410a1dd7e965479";

    private static readonly AsyncLocal<CancellationToken> CallerGone = new();
    private readonly ConcurrentDictionary<string, int> _arrivals = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _inFlight;

    public IncodeStub()
    {
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            Port = FreePorts.Next(),
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(async (HttpContext context, Func<Task> next) =>
            {
                Interlocked.Increment(ref _inFlight);
                try
                {
                    _arrivals.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
                    _arrived.Release();
                    CallerGone.Value = context.RequestAborted;
                    await next(); // WireMock logs the call in there, also when its caller has gone
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }),
        });
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    /// <summary>
    /// No mappings, an empty log, no arrivals. Calls still in flight (a stalled one whose caller has
    /// just given up) are first let finish and be logged, so that none lands in the next test's log.
    /// </summary>
    public void Reset()
    {
        SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, TimeSpan.FromSeconds(10));
        Server.Reset();
        _arrivals.Clear();
    }

    /// <summary>An empty request log and no arrivals, the mappings kept: what a test did first is not counted.</summary>
    public void ForgetCalls()
    {
        Server.ResetLogEntries();
        _arrivals.Clear();
    }

    public IncodeStub Answer(string method, string path, int status, string body)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(response);
        return this;
    }

    public IncodeStub AnswerPayload(string method, string path, string payload) =>
        Answer(method, path, 200, IncodePayloads.Read(payload));

    public IncodeStub Respond(string method, string path, Func<IResponseBuilder, IResponseBuilder> response)
    {
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(response(Response.Create()));
        return this;
    }

    /// <summary>
    /// The happy path of every call, from the same table of example payloads the sandbox answers from;
    /// with <paramref name="freshSessions"/>, each /omni/start a session of its own (<see cref="AnswerFreshSessions"/>).
    /// </summary>
    public IncodeStub AnswerAll(bool freshSessions = false)
    {
        foreach (var answer in IncodePayloads.HappyAnswers.Where(a => !(freshSessions && a.Path == IncodePaths.Start)))
            AnswerPayload(answer.Method, answer.Path, answer.Payload);
        return freshSessions ? AnswerFreshSessions() : this;
    }

    /// <summary>
    /// The call never gets an answer: Incode keeps it until the caller gives up (the server's timeout,
    /// which a test brings about with <see cref="TestClock.Advance"/>). No thread is held meanwhile.
    /// </summary>
    public IncodeStub Stall(string method, string path) => Respond(method, path, response => response.WithCallback(async _ =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, CallerGone.Value).WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // the caller has gone: nobody reads what follows
        }
        return new WireMock.ResponseMessage { StatusCode = 504 };
    }));

    /// <summary>Answers <paramref name="payload"/> once the test calls the action returned, not before.</summary>
    public Action Hold(string method, string path, string payload)
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Respond(method, path, response => response.WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(async _ =>
            {
                await released.Task.WaitAsync(TimeSpan.FromMinutes(2));
                return IncodePayloads.Read(payload);
            }));
        return () => released.TrySetResult();
    }

    /// <summary>
    /// /omni/start as Incode answers it: the example payload with a new interviewId and token for each
    /// session (the example's own are fixed, and a face-auth session is stored under its interviewId).
    /// </summary>
    public IncodeStub AnswerFreshSessions() => Respond("POST", IncodePaths.Start, response => response
        .WithStatusCode(200)
        .WithHeader("Content-Type", "application/json")
        .WithBody(_ =>
        {
            var start = StartAnswer;
            start["interviewId"] = RandomNumberGenerator.GetHexString(24, lowercase: true);
            start["token"] = $"eyJhbGciOiJIUzI1NiJ9.{RandomNumberGenerator.GetHexString(32, lowercase: true)}.c2lnbmF0dXJl";
            return start.ToJsonString();
        }));

    /// <summary>Answers the n-th executive login with the n-th token, and every later one with the last.</summary>
    public IncodeStub AnswerLogins(params string[] tokens)
    {
        var logins = 0;
        return Respond("POST", IncodePaths.ExecutiveLogIn, response => response
            .WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody(_ => new JsonObject { ["token"] = tokens[Math.Min(Interlocked.Increment(ref logins), tokens.Length) - 1] }.ToJsonString()));
    }

    /// <summary>How many requests to <paramref name="path"/> have arrived, answered or not.</summary>
    public int ArrivalsAt(string path) => _arrivals.GetValueOrDefault(path);

    /// <summary>How many requests have arrived in all.</summary>
    public int Arrivals => _arrivals.Values.Sum();

    /// <summary>Waits until <paramref name="count"/> requests to <paramref name="path"/> have arrived.</summary>
    public Task WaitForArrivalsAsync(string path, int count = 1) => WaitUntilAsync(() => ArrivalsAt(path) >= count);

    /// <summary>Waits, woken by each arrival, until <paramref name="condition"/> holds (a minute at most).</summary>
    public async Task WaitUntilAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!condition()) await _arrived.WaitAsync(TimeSpan.FromMilliseconds(100), patience.Token);
    }

    public IReadOnlyList<ILogEntry> Calls => Server.LogEntries.ToList();

    public IReadOnlyList<ILogEntry> CallsTo(string path) =>
        Server.LogEntries.Where(e => e.RequestMessage.Path == path).ToList();

    public ILogEntry SingleCallTo(string path) => Assert.Single(CallsTo(path));

    public static JsonObject StartAnswer => IncodePayloads.ReadObject("omni-start.response");

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}
