using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Approve;

/// <summary>Incode redelivers a webhook up to five times; an identity must be created once. Run once per store.</summary>
public abstract class ApproveOnceContract : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly TestApp _api;
    private readonly HttpClient _client;

    protected ApproveOnceContract(Dictionary<string, string?> store)
    {
        Store = store;
        _api = TestApp.WithStub(_incode, store);
        Store["SESSIONS_DIR"] = _api.SessionsDir; // a restart finds the same records
        _client = _api.CreateClient();
    }

    /// <summary>The settings that choose the store; a restarted server gets the same.</summary>
    private Dictionary<string, string?> Store { get; }

    private static string Finished(string interviewId) =>
        $$"""{"interviewId":"{{interviewId}}","onboardingStatus":"ONBOARDING_FINISHED","clientId":"democlient"}""";

    [Fact]
    public async Task Five_deliveries_in_a_row_approve_once_and_all_answer_the_first_result()
    {
        _incode.AnswerAll();
        var answers = new List<JsonObject>();

        for (var i = 0; i < 5; i++)
            answers.Add(await (await _client.SendAsync(Requests.PostJson("/approve", Finished("row-1")))).JsonAsync(HttpStatusCode.OK));

        Assert.Single(_incode.CallsTo(IncodePaths.ProcessApprove));
        Assert.Single(_incode.CallsTo(IncodePaths.Score));
        Assert.All(answers, a => Json.AssertSame(IncodePayloads.Read("process-approve.response"), a["data"]!.ToJsonString()));
    }

    [Fact]
    public async Task Twenty_concurrent_deliveries_approve_once()
    {
        _incode.AnswerPayload("GET", IncodePaths.Score, "score.onboarding.response")
            .Respond("POST", IncodePaths.ProcessApprove, r => r.WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(IncodePayloads.Read("process-approve.response")).WithDelay(TimeSpan.FromMilliseconds(300)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            await (await _client.SendAsync(Requests.PostJson("/approve", Finished("burst-1")))).JsonAsync(HttpStatusCode.OK)));

        Assert.Single(_incode.CallsTo(IncodePaths.ProcessApprove));
        Assert.All(answers, a => Assert.True(a["success"]!.GetValue<bool>()));
        Assert.All(answers, a => Json.AssertSame(IncodePayloads.Read("process-approve.response"), a["data"]!.ToJsonString()));
    }

    [Fact]
    public async Task A_session_that_did_not_pass_stays_not_passed_without_asking_again()
    {
        _incode.AnswerPayload("GET", IncodePaths.Score, "score.fail.response");

        for (var i = 0; i < 3; i++)
        {
            var body = await (await _client.SendAsync(Requests.PostJson("/approve", Finished("fail-1")))).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("Session didn't PASS, identity was not created", body["error"]!.GetValue<string>());
        }

        Assert.Single(_incode.CallsTo(IncodePaths.Score));
        Assert.Empty(_incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task A_failed_attempt_lets_the_redelivery_try_again()
    {
        _incode.AnswerPayload("GET", IncodePaths.Score, "score.onboarding.response")
            .Answer("POST", IncodePaths.ProcessApprove, 500, IncodePayloads.Read("error.response"));
        await (await _client.SendAsync(Requests.PostJson("/approve", Finished("retry-1")))).JsonAsync(HttpStatusCode.BadGateway);

        _incode.Reset();
        _incode.AnswerAll();
        var body = await (await _client.SendAsync(Requests.PostJson("/approve", Finished("retry-1")))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Single(_incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task The_record_survives_a_restart()
    {
        _incode.AnswerAll();
        await (await _client.SendAsync(Requests.PostJson("/approve", Finished("restart-1")))).JsonAsync(HttpStatusCode.OK);
        _incode.Reset();
        _incode.AnswerAll();

        using var restarted = TestApp.WithStub(_incode, Store);
        using var client = restarted.CreateClient();
        var body = await (await client.SendAsync(Requests.PostJson("/approve", Finished("restart-1")))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Json.AssertSame(IncodePayloads.Read("process-approve.response"), body["data"]!.ToJsonString());
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Different_interviews_are_approved_separately()
    {
        _incode.AnswerAll();

        await (await _client.SendAsync(Requests.PostJson("/approve", Finished("one")))).JsonAsync(HttpStatusCode.OK);
        await (await _client.SendAsync(Requests.PostJson("/approve", Finished("two")))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, _incode.CallsTo(IncodePaths.ProcessApprove).Count);
    }

    public void Dispose()
    {
        _client.Dispose();
        _api.Dispose();
        _incode.Dispose();
    }
}

public sealed class ApproveOnceTests() : ApproveOnceContract([]);

[Trait("Category", "Redis")]
public sealed class ApproveOnceOnRedisTests() : ApproveOnceContract(TestRedis.Settings(TestRedis.NewPrefix()));
