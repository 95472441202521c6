using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Infrastructure.Incode.Sandbox;

/// <summary>The server with <c>INCODE_SANDBOX=true</c> and no Incode setting at all: every route answers.</summary>
public sealed class SandboxModeTests(SandboxApp sandbox) : IClassFixture<SandboxApp>
{
    private readonly HttpClient _client = sandbox.Client;

    private async Task<JsonObject> StartAsync() => await (await _client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

    private Task<HttpResponseMessage> FetchScoreAsync(string interviewId, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/fetch-score?interviewId={interviewId}");
        request.Headers.Add("X-Token", token);
        return _client.SendAsync(request);
    }

    private static string Finished(string interviewId) =>
        new JsonObject { ["interviewId"] = interviewId, ["onboardingStatus"] = "ONBOARDING_FINISHED" }.ToJsonString();

    [Fact]
    public async Task Resumes_a_session_from_start_with_the_same_token()
    {
        var started = await StartAsync();

        var resumed = await (await _client.GetAsync($"/start?uniqueId={started["uniqueId"]}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(started.ToJsonString(), resumed.ToJsonString());
    }

    [Fact]
    public async Task Starts_a_new_Incode_session_each_time()
    {
        var first = await StartAsync();
        var second = await StartAsync();

        Assert.NotEqual(first["token"]!.GetValue<string>(), second["token"]!.GetValue<string>());
        Assert.NotEqual(first["uniqueId"]!.GetValue<string>(), second["uniqueId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Onboarding_url_points_at_its_own_interview()
    {
        var body = await (await _client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.EndsWith($"interviewId={body["interviewId"]}", body["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reports_a_finished_onboarding()
    {
        var body = await (await _client.GetAsync("/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("""{"success":true,"onboardingStatus":"ONBOARDING_FINISHED"}""", body.ToJsonString());
    }

    [Theory]
    [InlineData("6650f0c2a1b2c3d4e5f60718", "OK")]
    [InlineData("fail-6650f0c2a1b2c3d4e5f6", "FAIL")]
    public async Task Scores_FAIL_only_the_interviews_whose_id_starts_with_fail(string interviewId, string score)
    {
        var token = (await StartAsync())["token"]!.GetValue<string>();

        var body = await (await FetchScoreAsync(interviewId, token)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal($$"""{"success":true,"score":"{{score}}"}""", body.ToJsonString());
    }

    [Fact]
    public async Task Refuses_a_session_token_it_did_not_issue_as_Incode_would()
    {
        var response = await FetchScoreAsync("6650f0c2a1b2c3d4e5f60718", "eyJ.not-a-sandbox-token");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/get/score failed with status 401");
    }

    [Fact]
    public async Task Finishes_a_session_it_started()
    {
        var token = (await StartAsync())["token"]!.GetValue<string>();

        var response = await _client.SendAsync(Requests.PostText("/finish", new JsonObject { ["token"] = token }.ToJsonString()));

        Json.AssertSame(IncodePayloads.Read("finish-status.response"), (await response.JsonAsync(HttpStatusCode.OK)).ToJsonString());
    }

    [Theory]
    [InlineData("6650f1aa0c1d2e3f40516273", true)]
    [InlineData("fail-6650f1aa0c1d2e3f4051", false)]
    public async Task Verifies_face_logins_unless_the_transaction_id_starts_with_fail(string transactionId, bool verified)
    {
        var attempt = IncodePayloads.ReadObject("authentication-verify.request");
        attempt["transactionId"] = transactionId;

        var body = await (await _client.SendAsync(Requests.PostText("/auth", attempt.ToJsonString()))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(verified, body["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Approve_returns_an_identity_and_a_redelivery_the_same_answer()
    {
        var first = await (await _client.SendAsync(Requests.PostText("/approve", Finished("6650f0c2a1b2c3d4e5f60718")))).JsonAsync(HttpStatusCode.OK);
        var again = await (await _client.SendAsync(Requests.PostText("/approve", Finished("6650f0c2a1b2c3d4e5f60718")))).JsonAsync(HttpStatusCode.OK);

        Assert.True(first["success"]!.GetValue<bool>());
        var identity = first["data"]!["uuid"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{24}$", identity);
        Assert.False(first["data"]!["existingCustomer"]!.GetValue<bool>());
        Assert.Equal(first["data"]!.ToJsonString(), again["data"]!.ToJsonString()); // approved once, answered twice
    }

    [Fact]
    public async Task Approve_creates_no_identity_for_an_interview_that_fails()
    {
        var body = await (await _client.SendAsync(Requests.PostText("/approve", Finished("fail-6650f0c2a1b2c3d4e5f6")))).JsonAsync(HttpStatusCode.OK);

        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal("Session didn't PASS, identity was not created", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Face_authentication_matches_the_identity_the_session_was_started_for_once()
    {
        var session = await _client.StartAsync("68c851bedd5176f7d8bf4758");

        var first = await _client.VerifyAsync(FaceAuthRequests.Verify(session, "68c851bedd5176f7d8bf4758"));
        var replay = await _client.VerifyAsync(FaceAuthRequests.Verify(session, "68c851bedd5176f7d8bf4758"));

        Assert.Equal(FaceAuthRequests.ValidAnswer, first.ToJsonString());
        Assert.Equal(FaceAuthRequests.InvalidAnswer, replay.ToJsonString());
    }

    [Theory]
    [InlineData("fail-68c851bedd5176f7d8bf", "fail-68c851bedd5176f7d8bf")] // scores FAIL
    [InlineData("68c851bedd5176f7d8bf4758", "6650f0c2a1b2c3d4e5f60718")] // someone else's face
    public async Task Face_authentication_fails_for_a_fail_identity_or_another_candidate(string identityId, string candidate)
    {
        var session = await _client.StartAsync(identityId);

        var body = await _client.VerifyAsync(FaceAuthRequests.Verify(session, candidate));

        Assert.Equal(FaceAuthRequests.InvalidAnswer, body.ToJsonString());
    }

    [Fact]
    public async Task Webhook_echoes_the_payload()
    {
        var body = await (await _client.SendAsync(Requests.PostText("/webhook", Finished("6650f0c2a1b2c3d4e5f60718")))).JsonAsync(HttpStatusCode.OK);

        Json.AssertSame(Finished("6650f0c2a1b2c3d4e5f60718"), body["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Says_so_in_health()
    {
        var body = await (await _client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["sandbox"]!.GetValue<bool>());
    }
}
