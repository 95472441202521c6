using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Approve;

/// <summary>Incode redelivers a webhook up to five times; an identity must be created once. Run once per store.</summary>
public abstract class ApproveOnceContract<TApp>(TApp app) : AppTests<TApp>(app) where TApp : IncodeApp
{
    private static string Finished(string interviewId) =>
        $$"""{"interviewId":"{{interviewId}}","onboardingStatus":"ONBOARDING_FINISHED","clientId":"democlient"}""";

    [Fact]
    public async Task Five_deliveries_in_a_row_approve_once_and_all_answer_the_first_result()
    {
        Incode.AnswerAll();
        var answers = new List<JsonObject>();

        for (var i = 0; i < 5; i++)
            answers.Add(await (await Client.SendAsync(Requests.PostJson("/approve", Finished("row-1")))).JsonAsync(HttpStatusCode.OK));

        Assert.Single(Incode.CallsTo(IncodePaths.ProcessApprove));
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
        Assert.All(answers, a => Json.AssertSame(IncodePayloads.Read("process-approve.response"), a["data"]!.ToJsonString()));
    }

    [Fact]
    public async Task Twenty_concurrent_deliveries_approve_once()
    {
        Incode.AnswerPayload("GET", IncodePaths.Score, "score.onboarding.response")
            .Respond("POST", IncodePaths.ProcessApprove, r => r.WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(IncodePayloads.Read("process-approve.response")).WithDelay(TimeSpan.FromMilliseconds(300)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            await (await Client.SendAsync(Requests.PostJson("/approve", Finished("burst-1")))).JsonAsync(HttpStatusCode.OK)));

        Assert.Single(Incode.CallsTo(IncodePaths.ProcessApprove));
        Assert.All(answers, a => Assert.True(a["success"]!.GetValue<bool>()));
        Assert.All(answers, a => Json.AssertSame(IncodePayloads.Read("process-approve.response"), a["data"]!.ToJsonString()));
    }

    [Fact]
    public async Task A_session_that_did_not_pass_stays_not_passed_without_asking_again()
    {
        Incode.AnswerPayload("GET", IncodePaths.Score, "score.fail.response");

        for (var i = 0; i < 3; i++)
        {
            var body = await (await Client.SendAsync(Requests.PostJson("/approve", Finished("fail-1")))).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("Session didn't PASS, identity was not created", body["error"]!.GetValue<string>());
        }

        Assert.Single(Incode.CallsTo(IncodePaths.Score));
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task A_failed_attempt_lets_the_redelivery_try_again()
    {
        Incode.AnswerPayload("GET", IncodePaths.Score, "score.onboarding.response")
            .Answer("POST", IncodePaths.ProcessApprove, 500, IncodePayloads.Read("error.response"));
        await (await Client.SendAsync(Requests.PostJson("/approve", Finished("retry-1")))).JsonAsync(HttpStatusCode.BadGateway);

        Incode.Reset();
        Incode.AnswerAll();
        var body = await (await Client.SendAsync(Requests.PostJson("/approve", Finished("retry-1")))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Single(Incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task The_record_survives_a_restart()
    {
        Incode.AnswerAll();
        await (await Client.SendAsync(Requests.PostJson("/approve", Finished("restart-1")))).JsonAsync(HttpStatusCode.OK);
        Incode.Reset();
        Incode.AnswerAll();

        using var restarted = App.Twin(); // the same store: folder or Redis prefix
        var body = await (await restarted.Client.SendAsync(Requests.PostJson("/approve", Finished("restart-1")))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Json.AssertSame(IncodePayloads.Read("process-approve.response"), body["data"]!.ToJsonString());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Different_interviews_are_approved_separately()
    {
        Incode.AnswerAll();

        await (await Client.SendAsync(Requests.PostJson("/approve", Finished("one")))).JsonAsync(HttpStatusCode.OK);
        await (await Client.SendAsync(Requests.PostJson("/approve", Finished("two")))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, Incode.CallsTo(IncodePaths.ProcessApprove).Count);
    }

}

public sealed class ApproveOnceTests(IncodeApp app) : ApproveOnceContract<IncodeApp>(app);

[Trait("Category", "Redis")]
public sealed class ApproveOnceOnRedisTests(RedisIncodeApp app) : ApproveOnceContract<RedisIncodeApp>(app);
