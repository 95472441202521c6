using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Features.FaceAuth;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Storage;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Tests.Features.FaceAuth.Start;

/// <summary>What /face-auth/start promises whichever store keeps the sessions; run once per store.</summary>
public abstract class FaceAuthStartContract<TFixture>(TFixture app) : AppTests<TFixture>(app) where TFixture : IncodeApp
{
    [Fact]
    public async Task Creates_a_session_and_answers_token_and_interviewId_only()
    {
        Incode.AnswerAll();

        var body = await (await Client.SendAsync(FaceAuthRequests.Start())).JsonAsync(HttpStatusCode.OK);

        var start = IncodeStub.StartAnswer;
        Assert.Equal(["token", "interviewId"], body.Select(p => p.Key));
        Assert.Equal(start["token"]!.GetValue<string>(), body["token"]!.GetValue<string>());
        Assert.Equal(start["interviewId"]!.GetValue<string>(), body["interviewId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sends_omni_start_with_FLOW_ID_when_FACE_AUTH_FLOW_ID_is_unset_and_no_session_header()
    {
        Incode.AnswerFreshSessions();

        await Client.StartAsync();

        var call = Incode.SingleCallTo(IncodePaths.Start);
        Assert.Equal("POST", call.RequestMessage.Method);
        Assert.Equal("", call.RawQuery());
        call.AssertIncodeHeaders(hardwareId: null);
        Json.AssertSame($$"""{"configurationId":"{{IncodeStub.FlowId}}","language":"en-US"}""", call.RequestMessage.Body!);
        Assert.Single(Incode.Calls);
    }

    [Fact]
    public async Task Stores_the_session_as_pending_under_its_interviewId_before_answering()
    {
        Incode.AnswerFreshSessions();
        var before = DateTimeOffset.UtcNow;

        var session = await Client.StartAsync("claimed-identity-0001");

        var sessions = App.Services.GetRequiredService<FaceAuthSessions>();
        var bytes = await App.Services.GetRequiredService<IRecordStore>().GetAsync(sessions.Kind, RecordKeys.Of(session.InterviewId), CancellationToken.None);
        var stored = JsonNode.Parse(bytes!)!.AsObject();
        Assert.Equal(["interviewId", "token", "identityId", "status", "createdAt"], stored.Select(p => p.Key));
        Assert.Equal(session.InterviewId, stored["interviewId"]!.GetValue<string>());
        Assert.Equal(session.Token, stored["token"]!.GetValue<string>());
        Assert.Equal("claimed-identity-0001", stored["identityId"]!.GetValue<string>());
        Assert.Equal("pending", stored["status"]!.GetValue<string>());
        Assert.InRange(stored["createdAt"]!.GetValue<DateTimeOffset>(), before, App.Clock.GetUtcNow());
    }

    [Theory]
    [InlineData("""{}""", "Missing required parameter identityId")]
    [InlineData("""{"identityId":null}""", "Missing required parameter identityId")]
    [InlineData("""{"identityId":""}""", "Missing required parameter identityId")]
    [InlineData("""{"identityId":5}""", "Invalid identityId")]
    [InlineData("""{"identityId":true}""", "Invalid identityId")]
    [InlineData("""{"identityId":["68c851bedd5176f7d8bf4758"]}""", "Invalid identityId")]
    [InlineData("""{"identityId":{"id":"68c851bedd5176f7d8bf4758"}}""", "Invalid identityId")]
    [InlineData("""{"identityId":"a\u0000b"}""", "Invalid identityId")]
    [InlineData("""{"identityId":"a\nb"}""", "Invalid identityId")]
    [InlineData("""{"identityId":"\u007f"}""", "Invalid identityId")]
    public async Task Refuses_an_identityId_that_is_missing_or_not_one_without_calling_Incode(string body, string error)
    {
        Incode.AnswerAll();

        var response = await Client.SendAsync(Requests.PostText("/face-auth/start", body));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, error);
        Assert.Empty(Incode.Calls);
    }

    [Theory]
    [InlineData(128, HttpStatusCode.OK)]
    [InlineData(129, HttpStatusCode.BadRequest)]
    public async Task Takes_an_identityId_of_up_to_128_characters(int length, HttpStatusCode status)
    {
        Incode.AnswerFreshSessions();

        var response = await Client.SendAsync(FaceAuthRequests.Start(new string('i', length)));

        if (status == HttpStatusCode.OK) await response.JsonAsync(status);
        else await response.AssertErrorAsync(status, "Invalid identityId");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    public async Task Returns_502_naming_the_call_when_Incode_fails_and_stores_nothing(int status)
    {
        Incode.Answer("POST", IncodePaths.Start, status, IncodePayloads.Read("error.response"));

        var response = await Client.SendAsync(FaceAuthRequests.Start());

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, $"Incode /omni/start failed with status {status}");
        Assert.Single(Incode.CallsTo(IncodePaths.Start)); // a POST is never retried: each one is a billable session
    }

    [Fact]
    public async Task Returns_504_when_Incode_is_too_slow()
    {
        Incode.Stall("POST", IncodePaths.Start);

        var response = await App.OutwaitIncodeAsync(FaceAuthRequests.Start(), IncodePaths.Start);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /omni/start did not answer in time");
    }

    [Fact]
    public async Task Returns_502_when_Incode_answers_without_an_interviewId()
    {
        Incode.Answer("POST", IncodePaths.Start, 200, """{"token":"eyJ.t"}""");

        var response = await Client.SendAsync(FaceAuthRequests.Start());

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/start answered without interviewId");
    }

    [Fact]
    public async Task Never_logs_the_token_or_the_claimed_identity()
    {
        Incode.AnswerFreshSessions();

        var session = await Client.StartAsync("claimed-identity-0002");

        Assert.Contains($"Started face authentication for interview \"{session.InterviewId}\"", App.Logs.Lines);
        App.Logs.AssertNoneContains(session.Token, "claimed-identity-0002");
    }
}

public sealed class FaceAuthStartTests(IncodeApp app) : FaceAuthStartContract<IncodeApp>(app);

public sealed class FaceAuthStartOnRedisTests(RedisIncodeApp app) : FaceAuthStartContract<RedisIncodeApp>(app);

/// <summary>Settings, the store failing and the session budget: a server of each test's own.</summary>
public sealed class FaceAuthStartSettingsTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly List<TestApp> _apps = [];

    private TestApp App(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var app = TestApp.WithStub(_incode, settings, services);
        _apps.Add(app);
        return app;
    }

    [Fact]
    public async Task Sends_FACE_AUTH_FLOW_ID_as_configurationId_when_set()
    {
        _incode.AnswerFreshSessions();
        var app = App(new() { ["FACE_AUTH_FLOW_ID"] = "face-auth-flow-0001" });

        await app.Client.StartAsync();
        await (await app.Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        var calls = _incode.CallsTo(IncodePaths.Start);
        Json.AssertSame("""{"configurationId":"face-auth-flow-0001","language":"en-US"}""", calls[0].RequestMessage.Body!);
        Json.AssertSame($$"""{"configurationId":"{{IncodeStub.FlowId}}","language":"en-US"}""", calls[1].RequestMessage.Body!); // /start keeps FLOW_ID
    }

    [Fact]
    public async Task Answers_503_without_creating_an_Incode_session_when_the_store_is_unavailable()
    {
        _incode.AnswerFreshSessions();
        var app = App(services: s => s.AddSingleton<IRecordStore>(sp => new UnavailableStore(sp.GetRequiredService<FileRecordStore>())));

        var response = await app.Client.SendAsync(FaceAuthRequests.Start());

        await response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Session could not be stored");
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Answers_503_when_the_session_cannot_be_written()
    {
        _incode.AnswerFreshSessions();
        var app = App();
        Directory.CreateDirectory(Path.Combine(app.SessionsDir, "face-auth"));
        File.SetUnixFileMode(Path.Combine(app.SessionsDir, "face-auth"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (Environment.UserName == "root")
        {
            // root writes through permission bits: a file where the folder should be fails for anyone
            Directory.Delete(Path.Combine(app.SessionsDir, "face-auth"));
            await File.WriteAllTextAsync(Path.Combine(app.SessionsDir, "face-auth"), "not a folder");
        }

        var response = await app.Client.SendAsync(FaceAuthRequests.Start());

        await response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Session could not be stored");
    }

    [Fact]
    public async Task Shares_the_per_address_budget_of_start()
    {
        _incode.AnswerFreshSessions();
        var app = App(new() { ["RATE_LIMIT_PER_MINUTE"] = "2" });

        await (await app.Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        await app.Client.StartAsync();
        var refused = await app.Client.SendAsync(FaceAuthRequests.Start());
        var startRefused = await app.Client.GetAsync("/start");

        var body = await refused.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.StartsWith("Too many new sessions from this address", body["error"]!.GetValue<string>());
        Assert.True(refused.Headers.Contains("Retry-After"));
        await startRefused.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(2, _incode.CallsTo(IncodePaths.Start).Count);
    }

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            var folder = Path.Combine(app.SessionsDir, "face-auth");
            if (Directory.Exists(folder)) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            app.Dispose();
        }
        _incode.Dispose();
    }

    /// <summary>The store as it reports itself once Redis went away after start-up: known to be down before anything is tried.</summary>
    private sealed class UnavailableStore(IRecordStore inner) : IRecordStore
    {
        public bool IsAvailable => false;
        public Task<string?> ProblemAsync(CancellationToken ct) => Task.FromResult<string?>(null); // it was there at start-up
        public Task<bool> TryAddAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct) => inner.TryAddAsync(kind, key, value, ct);
        public Task<byte[]?> GetAsync(RecordKind kind, string key, CancellationToken ct) => inner.GetAsync(kind, key, ct);
        public Task DeleteAsync(RecordKind kind, string key, CancellationToken ct) => inner.DeleteAsync(kind, key, ct);
    }
}
