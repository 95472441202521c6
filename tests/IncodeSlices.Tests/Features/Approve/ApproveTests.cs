using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Approve;

public sealed class ApproveTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    // Approvals are recorded per interview and the tests share one server: each test has its own interview.
    private readonly string _interviewId = "6650f0c2a1b2c3d4" + Guid.NewGuid().ToString("N")[..8];

    private string Finished
    {
        get
        {
            var payload = IncodePayloads.ReadObject("webhook.onboarding-status");
            payload["interviewId"] = _interviewId;
            return payload.ToJsonString();
        }
    }

    [Fact]
    public async Task Approves_a_finished_onboarding_that_scored_OK_and_answers_Incode_s_approval()
    {
        Incode.AnswerAll();

        var body = await (await Client.SendAsync(Requests.PostText("/approve", Finished))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["timestamp", "success", "data"], body.Select(p => p.Key));
        Assert.True(body["success"]!.GetValue<bool>());
        Json.AssertSame(IncodePayloads.Read("process-approve.response"), body["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Sends_score_then_approve_with_the_admin_token_and_the_api_key()
    {
        Incode.AnswerAll();

        await (await Client.SendAsync(Requests.PostJson("/approve", Finished))).JsonAsync(HttpStatusCode.OK);

        var score = Incode.SingleCallTo(IncodePaths.Score);
        Assert.Equal($"?id={_interviewId}", score.RawQuery());
        score.AssertIncodeHeaders(hardwareId: IncodeStub.AdminToken);

        var approve = Incode.SingleCallTo(IncodePaths.ProcessApprove);
        Assert.Equal("POST", approve.RequestMessage.Method);
        Assert.Equal($"?interviewId={_interviewId}", approve.RawQuery());
        approve.AssertIncodeHeaders(hardwareId: IncodeStub.AdminToken);
        Assert.Equal("{}", approve.RequestMessage.Body);
    }

    [Fact]
    public async Task Encodes_the_interviewId_into_the_approve_query()
    {
        Incode.AnswerAll();

        await (await Client.SendAsync(Requests.PostJson("/approve",
            $$"""{"interviewId":"{{_interviewId}}&id=b","onboardingStatus":"ONBOARDING_FINISHED"}"""))).JsonAsync(HttpStatusCode.OK);

        var approve = Incode.SingleCallTo(IncodePaths.ProcessApprove);
        Assert.Equal($"?interviewId={_interviewId}%26id%3Db", approve.RawQuery());
        Assert.Equal([$"{_interviewId}&id=b"], approve.RequestMessage.Query!["interviewId"]);
    }

    [Theory]
    [InlineData("score.fail.response")]
    [InlineData(null)] // WARN
    public async Task Does_not_approve_a_session_that_did_not_pass(string? payload)
    {
        if (payload is null) Incode.Answer("GET", IncodePaths.Score, 200, """{"overall":{"value":"60.0","status":"WARN"}}""");
        else Incode.AnswerPayload("GET", IncodePaths.Score, payload);

        var body = await (await Client.SendAsync(Requests.PostJson("/approve", Finished))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["timestamp", "success", "error"], body.Select(p => p.Key));
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal("Session didn't PASS, identity was not created", body["error"]!.GetValue<string>());
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Theory]
    [InlineData("ID_VALIDATION_FINISHED")]
    [InlineData("MANUAL_REVIEW_REJECTED")]
    [InlineData("NOT_A_KNOWN_STATUS")]
    public async Task Echoes_any_other_status_without_calling_Incode(string status)
    {
        var payload = $$"""{"interviewId":"abc","onboardingStatus":"{{status}}","externalId":"customer-42"}""";

        var body = await (await Client.SendAsync(Requests.PostJson("/approve", payload))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal(JsonNode.Parse(payload)!.ToJsonString(), body["data"]!.ToJsonString());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Refuses_a_finished_onboarding_without_an_interviewId()
    {
        var response = await Client.SendAsync(Requests.PostJson("/approve", """{"onboardingStatus":"ONBOARDING_FINISHED"}"""));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Missing required parameter interviewId");
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Returns_502_when_the_score_lookup_fails_so_Incode_redelivers()
    {
        Incode.Answer("GET", IncodePaths.Score, 500, IncodePayloads.Read("error.response"));

        var response = await Client.SendAsync(Requests.PostJson("/approve", Finished));

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/get/score failed with status 500");
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task Returns_502_and_does_not_retry_when_approve_fails()
    {
        Incode.AnswerPayload("GET", IncodePaths.Score, "score.onboarding.response")
            .Answer("POST", IncodePaths.ProcessApprove, 500, IncodePayloads.Read("error.response"));

        var response = await Client.SendAsync(Requests.PostJson("/approve", Finished));

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/process/approve failed with status 500");
        Assert.Single(Incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task Returns_504_when_approve_is_too_slow()
    {
        Incode.AnswerPayload("GET", IncodePaths.Score, "score.onboarding.response")
            .Stall("POST", IncodePaths.ProcessApprove);

        var response = await App.OutwaitIncodeAsync(Requests.PostJson("/approve", Finished), IncodePaths.ProcessApprove);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /omni/process/approve did not answer in time");
    }
}
