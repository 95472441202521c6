using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Features.FaceAuth;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Storage;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Tests.Features.FaceAuth.Verify;

/// <summary>
/// Each row of the contract's table, both sides of the wire: the answer, the Incode calls that went
/// out (none after a failed check 1–4) and the outcome recorded. Run once per store.
/// </summary>
public abstract class FaceAuthVerifyContract<TFixture>(TFixture app) : AppTests<TFixture>(app) where TFixture : IncodeApp
{
    /// <summary>A started session; the stub then starts afresh (no mappings, no calls), for the test to say what Incode answers.</summary>
    private async Task<StartedFaceAuth> StartedAsync(string identityId = FaceAuthRequests.Identity)
    {
        Incode.AnswerFreshSessions();
        var session = await Client.StartAsync(identityId);
        Incode.Reset();
        return session;
    }

    private async Task<JsonObject?> OutcomeAsync(string interviewId)
    {
        var outcomes = App.Services.GetRequiredService<FaceAuthLedger>().Outcomes;
        var bytes = await App.Services.GetRequiredService<IRecordStore>().GetAsync(outcomes, RecordKeys.Of(interviewId), CancellationToken.None);
        return bytes is null ? null : JsonNode.Parse(bytes)!.AsObject();
    }

    private async Task AssertRejectedAsync(string interviewId, string reason)
    {
        var outcome = await OutcomeAsync(interviewId);
        Assert.Equal("rejected", outcome?["status"]?.GetValue<string>());
        Assert.Equal(reason, outcome?["reason"]?.GetValue<string>());
    }

    /// <summary>The session is used: the right data now is invalid too, and Incode is not asked.</summary>
    private async Task AssertUsedAsync(StartedFaceAuth session)
    {
        Incode.Reset();
        Incode.AnswerFaceAuth();
        Json.AssertSame(FaceAuthRequests.InvalidAnswer, (await Client.VerifyAsync(FaceAuthRequests.Verify(session))).ToJsonString());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Answers_valid_with_the_identity_when_every_check_passes_and_records_approved()
    {
        var session = await StartedAsync();
        Incode.AnswerFaceAuth();

        var body = await Client.VerifyAsync(FaceAuthRequests.Verify(session));

        Assert.Equal(FaceAuthRequests.ValidAnswer, body.ToJsonString());
        Assert.Equal("approved", (await OutcomeAsync(session.InterviewId))?["status"]?.GetValue<string>());
    }

    [Fact]
    public async Task Finishes_the_session_then_reads_its_score_both_with_the_stored_token()
    {
        var session = await StartedAsync();
        Incode.AnswerFaceAuth();

        await Client.VerifyAsync(FaceAuthRequests.Verify(session));

        Assert.Equal([IncodePaths.FinishStatus, IncodePaths.Score], Incode.Calls.OrderBy(c => c.RequestMessage.DateTime).Select(c => c.RequestMessage.Path));
        var finish = Incode.SingleCallTo(IncodePaths.FinishStatus);
        Assert.Equal("GET", finish.RequestMessage.Method);
        Assert.Equal("", finish.RawQuery());
        finish.AssertIncodeHeaders(hardwareId: session.Token);
        var score = Incode.SingleCallTo(IncodePaths.Score);
        Assert.Equal("GET", score.RequestMessage.Method);
        Assert.Equal($"?id={session.InterviewId}", score.RawQuery());
        score.AssertIncodeHeaders(hardwareId: session.Token);
        Assert.All(Incode.Calls, c => Assert.True(string.IsNullOrEmpty(c.RequestMessage.Body), "a read with a body"));
    }

    [Fact]
    public async Task Check_1_an_interviewId_with_no_stored_session_is_invalid_and_calls_Incode_not_at_all()
    {
        Incode.AnswerFaceAuth();

        var body = await Client.VerifyAsync(FaceAuthRequests.Verify("6650f0c2a1b2c3d4e5f60718", "eyJ.some-token"));

        Json.AssertSame(FaceAuthRequests.InvalidAnswer, body.ToJsonString());
        Assert.Empty(Incode.Calls);
        Assert.Null(await OutcomeAsync("6650f0c2a1b2c3d4e5f60718")); // nothing to mark
    }

    [Fact]
    public async Task Check_1_a_session_from_start_is_not_a_face_auth_session()
    {
        Incode.AnswerFreshSessions();
        var start = await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var interviewId = JsonNode.Parse(Incode.SingleCallTo(IncodePaths.Start).ResponseMessage.BodyData!.BodyAsString!)!["interviewId"]!.GetValue<string>();
        Incode.Reset();
        Incode.AnswerFaceAuth();

        var body = await Client.VerifyAsync(FaceAuthRequests.Verify(interviewId, start["token"]!.GetValue<string>()));

        Json.AssertSame(FaceAuthRequests.InvalidAnswer, body.ToJsonString());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Check_2_a_second_verify_of_an_approved_session_is_invalid_and_calls_Incode_no_more()
    {
        var session = await StartedAsync();
        Incode.AnswerFaceAuth();
        Assert.Equal(FaceAuthRequests.ValidAnswer, (await Client.VerifyAsync(FaceAuthRequests.Verify(session))).ToJsonString());

        await AssertUsedAsync(session);
        Assert.Equal("approved", (await OutcomeAsync(session.InterviewId))?["status"]?.GetValue<string>()); // the first outcome stands
    }

    [Fact]
    public async Task Check_3_a_token_from_another_session_is_invalid_marks_the_session_rejected_and_calls_Incode_not_at_all()
    {
        Incode.AnswerFreshSessions();
        var session = await Client.StartAsync();
        var other = await Client.StartAsync();
        Incode.Reset();
        Incode.AnswerFaceAuth();

        var body = await Client.VerifyAsync(FaceAuthRequests.Verify(session.InterviewId, other.Token));

        Json.AssertSame(FaceAuthRequests.InvalidAnswer, body.ToJsonString());
        Assert.Empty(Incode.Calls);
        await AssertRejectedAsync(session.InterviewId, "token_mismatch");
        await AssertUsedAsync(session);
        Assert.Equal(FaceAuthRequests.ValidAnswer, (await Client.VerifyAsync(FaceAuthRequests.Verify(other))).ToJsonString()); // its own session is untouched
    }

    [Theory]
    [InlineData("68c851bedd5176f7d8bf4759")]
    [InlineData("68C851BEDD5176F7D8BF4758")]
    [InlineData(" 68c851bedd5176f7d8bf4758")]
    public async Task Check_4_a_candidate_other_than_the_claimed_identity_is_invalid_marks_rejected_and_calls_Incode_not_at_all(string candidate)
    {
        var session = await StartedAsync();
        Incode.AnswerFaceAuth();

        var body = await Client.VerifyAsync(FaceAuthRequests.Verify(session, candidate));

        Json.AssertSame(FaceAuthRequests.InvalidAnswer, body.ToJsonString());
        Assert.Empty(Incode.Calls);
        await AssertRejectedAsync(session.InterviewId, "candidate_mismatch");
        await AssertUsedAsync(session);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    public async Task Check_5_Incode_failing_finish_status_answers_502_and_marks_rejected(int status)
    {
        var session = await StartedAsync();
        Incode.Answer("GET", IncodePaths.FinishStatus, status, IncodePayloads.Read("error.response"))
            .AnswerPayload("GET", IncodePaths.Score, "score.authentication.response");

        var response = await Client.SendAsync(FaceAuthRequests.Verify(session));

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, $"Incode /omni/finish-status failed with status {status}");
        Assert.NotEmpty(Incode.CallsTo(IncodePaths.FinishStatus));
        Assert.All(Incode.CallsTo(IncodePaths.FinishStatus), c => c.AssertIncodeHeaders(hardwareId: session.Token));
        Assert.Empty(Incode.CallsTo(IncodePaths.Score));
        await AssertRejectedAsync(session.InterviewId, "incode_failed");
        await AssertUsedAsync(session);
    }

    [Fact]
    public async Task Check_5_Incode_not_answering_finish_status_answers_504_and_marks_rejected()
    {
        var session = await StartedAsync();
        Incode.Stall("GET", IncodePaths.FinishStatus);

        var response = await App.OutwaitIncodeAsync(FaceAuthRequests.Verify(session), IncodePaths.FinishStatus);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /omni/finish-status did not answer in time");
        await AssertRejectedAsync(session.InterviewId, "incode_failed");
        await AssertUsedAsync(session);
    }

    [Fact]
    public async Task Check_6_Incode_failing_the_score_answers_502_and_marks_rejected()
    {
        var session = await StartedAsync();
        Incode.AnswerPayload("GET", IncodePaths.FinishStatus, "finish-status.response")
            .Answer("GET", IncodePaths.Score, 404, IncodePayloads.Read("error.response"));

        var response = await Client.SendAsync(FaceAuthRequests.Verify(session));

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/get/score failed with status 404");
        Incode.SingleCallTo(IncodePaths.FinishStatus).AssertIncodeHeaders(hardwareId: session.Token);
        Incode.SingleCallTo(IncodePaths.Score).AssertIncodeHeaders(hardwareId: session.Token);
        await AssertRejectedAsync(session.InterviewId, "incode_failed");
        await AssertUsedAsync(session);
    }

    [Theory]
    [InlineData("68c851bedd5176f7d8bf4759")] // Incode matched the face to someone else
    [InlineData("")]
    public Task Check_6_a_score_matched_to_another_identity_is_invalid_and_marks_rejected(string matched) =>
        AssertScoreRefusedAsync(FaceAuthRequests.Score(identityId: matched), "identity_mismatch");

    [Fact]
    public Task Check_6_a_score_without_an_authentication_is_invalid() => // overall OK, but no face was matched
        AssertScoreRefusedAsync(IncodePayloads.Read("score.onboarding.response"), "identity_mismatch");

    [Theory]
    [InlineData("FAIL")]
    [InlineData("WARN")]
    [InlineData("MANUAL")]
    [InlineData("UNKNOWN")]
    [InlineData("ok")]
    public Task Check_7_a_score_whose_overall_status_is_not_OK_is_invalid_and_marks_rejected(string status) =>
        AssertScoreRefusedAsync(FaceAuthRequests.Score(status: status), "score_not_ok");

    /// <summary>Incode finishes the session and answers <paramref name="score"/>: invalid, for <paramref name="reason"/>, and the session used.</summary>
    private async Task AssertScoreRefusedAsync(string score, string reason)
    {
        var session = await StartedAsync();
        Incode.AnswerPayload("GET", IncodePaths.FinishStatus, "finish-status.response")
            .Answer("GET", IncodePaths.Score, 200, score);

        var body = await Client.VerifyAsync(FaceAuthRequests.Verify(session));

        Json.AssertSame(FaceAuthRequests.InvalidAnswer, body.ToJsonString());
        Assert.Single(Incode.CallsTo(IncodePaths.FinishStatus));
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
        await AssertRejectedAsync(session.InterviewId, reason);
        await AssertUsedAsync(session);
    }

    [Fact]
    public async Task Twenty_simultaneous_verifies_of_one_session_make_one_valid_and_one_call_of_each()
    {
        var session = await StartedAsync();
        Incode.AnswerFaceAuth();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.VerifyAsync(FaceAuthRequests.Verify(session))));

        Assert.Single(answers, a => a["valid"]!.GetValue<bool>());
        Assert.Equal(19, answers.Count(a => a.ToJsonString() == FaceAuthRequests.InvalidAnswer));
        Assert.Single(Incode.CallsTo(IncodePaths.FinishStatus));
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
    }

    [Theory]
    [InlineData("""{}""", "Missing required parameter interviewId")]
    [InlineData("""{"token":"t","candidate":"c"}""", "Missing required parameter interviewId")]
    [InlineData("""{"interviewId":"","token":"t","candidate":"c"}""", "Missing required parameter interviewId")]
    [InlineData("""{"interviewId":"i"}""", "Missing required parameter token")]
    [InlineData("""{"interviewId":"i","candidate":"c"}""", "Missing required parameter token")]
    [InlineData("""{"interviewId":"i","token":"t"}""", "Missing required parameter candidate")]
    [InlineData("""{"interviewId":"i","token":"t","candidate":null}""", "Missing required parameter candidate")]
    [InlineData("""{"interviewId":"i","token":5,"candidate":"c"}""", "Invalid JSON body")]
    public async Task Refuses_a_body_without_each_required_string_naming_the_first_missing(string body, string error)
    {
        Incode.AnswerFaceAuth();

        var response = await Client.SendAsync(Requests.PostText("/face-auth/verify", body));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, error);
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Logs_the_reason_with_the_interviewId_and_never_the_token_or_the_candidate()
    {
        var session = await StartedAsync("claimed-identity-0003");
        Incode.AnswerFaceAuth();
        App.Logs.Clear();

        await Client.VerifyAsync(FaceAuthRequests.Verify(session, "candidate-0003"));
        await Client.VerifyAsync(FaceAuthRequests.Verify(session, "claimed-identity-0003"));

        Assert.Contains($"Face authentication of interview \"{session.InterviewId}\" rejected: \"candidate_mismatch\"", App.Logs.Lines);
        Assert.Contains($"Face authentication of interview \"{session.InterviewId}\" refused: \"already_used\"", App.Logs.Lines);
        App.Logs.AssertNoneContains(session.Token, "candidate-0003", "claimed-identity-0003");
    }
}

public sealed class FaceAuthVerifyTests(IncodeApp app) : FaceAuthVerifyContract<IncodeApp>(app);

public sealed class FaceAuthVerifyOnRedisTests(RedisIncodeApp app) : FaceAuthVerifyContract<RedisIncodeApp>(app);

/// <summary>Two instances behind a load balancer, one Redis: still one verify per session.</summary>
public sealed class FaceAuthVerifyScaleOutTests(RedisIncodeApp app) : AppTests<RedisIncodeApp>(app)
{
    [Fact]
    public async Task Twenty_simultaneous_verifies_split_across_two_instances_make_one_valid_and_one_call_of_each()
    {
        using var twin = App.Twin();
        Incode.AnswerFreshSessions();
        var session = await Client.StartAsync();
        Incode.Reset();
        Incode.AnswerFaceAuth();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? Client : twin.Client).VerifyAsync(FaceAuthRequests.Verify(session))));

        Assert.Single(answers, a => a["valid"]!.GetValue<bool>());
        Assert.Single(Incode.CallsTo(IncodePaths.FinishStatus));
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
    }

    [Fact]
    public async Task A_session_started_on_one_instance_is_verified_on_the_other_once()
    {
        using var twin = App.Twin();
        Incode.AnswerFaceAuth();
        var session = await Client.StartAsync();

        Assert.Equal(FaceAuthRequests.ValidAnswer, (await twin.Client.VerifyAsync(FaceAuthRequests.Verify(session))).ToJsonString());
        Json.AssertSame(FaceAuthRequests.InvalidAnswer, (await Client.VerifyAsync(FaceAuthRequests.Verify(session))).ToJsonString());
    }
}

/// <summary>
/// A session past FACE_AUTH_TTL_MINUTES is invalid, whichever store. Time is moved with the server's
/// clock: the file store expires by it, and for Redis (which expires by its own clock) the session's
/// createdAt is checked against it. A server of each test's own, since its clock is moved on.
/// </summary>
public sealed class FaceAuthExpiryTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly List<TestApp> _apps = [];

    public static TheoryData<string> Stores => ["file", "redis"];

    private TestApp App(string store)
    {
        var settings = store == "redis" ? TestRedis.Settings(TestRedis.NewPrefix()) : [];
        settings["FACE_AUTH_TTL_MINUTES"] = "5";
        var app = TestApp.WithStub(_incode, settings);
        _apps.Add(app);
        return app;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_session_past_its_lifetime_is_invalid_and_calls_Incode_not_at_all(string store)
    {
        var app = App(store);
        _incode.AnswerFaceAuth();
        var session = await app.Client.StartAsync();
        _incode.ForgetCalls();

        app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var body = await app.Client.VerifyAsync(FaceAuthRequests.Verify(session));

        Json.AssertSame(FaceAuthRequests.InvalidAnswer, body.ToJsonString());
        Assert.Empty(_incode.Calls);
        Assert.Contains($"Face authentication of interview \"{session.InterviewId}\" refused: \"unknown_session\"", app.Logs.Lines);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_session_within_its_lifetime_is_verified(string store)
    {
        var app = App(store);
        _incode.AnswerFaceAuth();
        var session = await app.Client.StartAsync();

        app.Clock.Advance(TimeSpan.FromMinutes(4));
        var body = await app.Client.VerifyAsync(FaceAuthRequests.Verify(session));

        Assert.Equal(FaceAuthRequests.ValidAnswer, body.ToJsonString());
    }

    public void Dispose()
    {
        foreach (var app in _apps) app.Dispose();
        _incode.Dispose();
    }
}
