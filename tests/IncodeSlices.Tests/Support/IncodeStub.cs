using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace IncodeSlices.Tests.Support;

/// <summary>WireMock standing in for Incode's <c>/omni</c> and <c>/0/omni</c>, answering with the contract's example payloads.</summary>
public sealed class IncodeStub : IDisposable
{
    public const string ApiKey = "test-api-key-0001";
    public const string AdminToken = "test-admin-token-0001";
    public const string FlowId = "65283accd410a1dd7e965479";

    /// <summary>The servers under test give up on Incode after this long (INCODE_TIMEOUT_SECONDS).</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(4);

    /// <summary>A delay past <see cref="TotalTimeout"/>: the call must end in a 504.</summary>
    public static readonly TimeSpan TooSlow = TimeSpan.FromSeconds(6);

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string Url => Server.Url!;

    public void Reset() => Server.Reset();

    public IncodeStub Answer(string method, string path, int status, string body, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (delay is { } d) response = response.WithDelay(d);
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

    /// <summary>The happy path of every call, from the same table of example payloads the sandbox answers from.</summary>
    public IncodeStub AnswerAll()
    {
        foreach (var answer in IncodePayloads.HappyAnswers) AnswerPayload(answer.Method, answer.Path, answer.Payload);
        return this;
    }

    /// <summary>Answers the n-th executive login with the n-th token, and every later one with the last.</summary>
    public IncodeStub AnswerLogins(params string[] tokens)
    {
        var logins = 0;
        return Respond("POST", IncodePaths.ExecutiveLogIn, response => response
            .WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody(_ => new JsonObject { ["token"] = tokens[Math.Min(Interlocked.Increment(ref logins), tokens.Length) - 1] }.ToJsonString()));
    }

    public IReadOnlyList<ILogEntry> Calls => Server.LogEntries.ToList();

    public IReadOnlyList<ILogEntry> CallsTo(string path) =>
        Server.LogEntries.Where(e => e.RequestMessage.Path == path).ToList();

    public ILogEntry SingleCallTo(string path) => Assert.Single(CallsTo(path));

    public static JsonObject StartAnswer => IncodePayloads.ReadObject("omni-start.response");

    public void Dispose() => Server.Stop();
}
