using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.FetchScore;

public sealed class FetchScoreTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    private const string SessionToken = "eyJhbGciOiJIUzI1NiJ9.session-token-for-score";

    private Task<HttpResponseMessage> FetchScore(string query, string? token = SessionToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/fetch-score" + query);
        if (token is not null) request.Headers.Add("X-Token", token);
        return Client.SendAsync(request);
    }

    [Theory]
    [InlineData("score.onboarding.response", "OK")]
    [InlineData("score.authentication.response", "OK")]
    [InlineData("score.fail.response", "FAIL")]
    public async Task Answers_OK_only_for_an_overall_OK(string payload, string expected)
    {
        Incode.AnswerPayload("GET", IncodePaths.Score, payload);

        var body = await (await FetchScore("?interviewId=6650f0c2a1b2c3d4e5f60718")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal($$"""{"success":true,"score":"{{expected}}"}""", body.ToJsonString());
    }

    [Theory]
    [InlineData("""{"overall":{"value":"70.0","status":"WARN"}}""")]
    [InlineData("""{"overall":{"status":"MANUAL_OK"}}""")]
    [InlineData("""{"overall":{"status":"ok"}}""")]
    [InlineData("""{"reasonMsg":"no overall at all"}""")]
    public async Task Answers_FAIL_for_anything_but_exactly_OK(string score)
    {
        Incode.Answer("GET", IncodePaths.Score, 200, score);

        var body = await (await FetchScore("?interviewId=abc")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("""{"success":true,"score":"FAIL"}""", body.ToJsonString());
    }

    [Fact]
    public async Task Sends_the_session_token_as_X_Incode_Hardware_Id()
    {
        Incode.AnswerPayload("GET", IncodePaths.Score, "score.onboarding.response");

        await (await FetchScore("?interviewId=6650f0c2a1b2c3d4e5f60718")).JsonAsync(HttpStatusCode.OK);

        var call = Incode.SingleCallTo(IncodePaths.Score);
        Assert.Equal("GET", call.RequestMessage.Method);
        Assert.Equal("?id=6650f0c2a1b2c3d4e5f60718", call.RawQuery());
        call.AssertIncodeHeaders(hardwareId: SessionToken);
    }

    [Fact]
    public async Task Refuses_a_missing_interviewId_before_a_missing_token()
    {
        var response = await FetchScore("", token: null);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Missing required parameter interviewId");
    }

    [Fact]
    public async Task Refuses_a_missing_X_Token()
    {
        var response = await FetchScore("?interviewId=abc", token: null);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Missing required header X-Token");
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Returns_502_when_Incode_answers_500()
    {
        Incode.Answer("GET", IncodePaths.Score, 500, IncodePayloads.Read("error.response"));

        var response = await FetchScore("?interviewId=abc");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/get/score failed with status 500");
    }

    [Fact]
    public async Task Returns_504_when_Incode_is_too_slow()
    {
        Incode.Stall("GET", IncodePaths.Score);

        var response = await App.OutwaitIncodeAsync(
            new HttpRequestMessage(HttpMethod.Get, "/fetch-score?interviewId=abc") { Headers = { { "X-Token", SessionToken } } }, IncodePaths.Score);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /omni/get/score did not answer in time");
    }
}
