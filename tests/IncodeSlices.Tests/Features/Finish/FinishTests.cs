using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Finish;

public sealed class FinishTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    private const string SessionToken = "eyJhbGciOiJIUzI1NiJ9.session-token-to-finish";

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain;charset=UTF-8")]
    [InlineData(null)]
    public async Task Answers_Incode_s_finish_status_unchanged_whatever_the_content_type(string? contentType)
    {
        Incode.AnswerAll();

        var response = await Client.SendAsync(Requests.PostText("/finish", $$"""{"token":"{{SessionToken}}"}""", contentType));

        var body = await response.JsonAsync(HttpStatusCode.OK);
        Json.AssertSame(IncodePayloads.Read("finish-status.response"), body.ToJsonString());
    }

    [Fact]
    public async Task Finishes_the_session_of_the_token_in_the_body()
    {
        Incode.AnswerAll();

        await (await Client.SendAsync(Requests.PostText("/finish", $$"""{"token":"{{SessionToken}}"}"""))).JsonAsync(HttpStatusCode.OK);

        var call = Incode.SingleCallTo(IncodePaths.FinishStatus);
        Assert.Equal("GET", call.RequestMessage.Method);
        Assert.Equal("", call.RawQuery());
        call.AssertIncodeHeaders(hardwareId: SessionToken);
        Assert.True(string.IsNullOrEmpty(call.RequestMessage.Body));
    }

    [Theory]
    [InlineData("{}", "Missing required parameter token")]
    [InlineData("""{"token":""}""", "Missing required parameter token")]
    [InlineData("""{"token":null}""", "Missing required parameter token")]
    [InlineData("""{"token":42}""", "Invalid JSON body")]
    [InlineData("""{"token":"a""", "Invalid JSON body")]
    [InlineData("\"token\"", "Invalid JSON body")]
    [InlineData("7", "Invalid JSON body")]
    public async Task Refuses_a_body_without_a_token(string body, string error)
    {
        var response = await Client.SendAsync(Requests.PostText("/finish", body));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, error);
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Returns_502_when_Incode_answers_500()
    {
        Incode.Answer("GET", IncodePaths.FinishStatus, 500, IncodePayloads.Read("error.response"));

        var response = await Client.SendAsync(Requests.PostText("/finish", $$"""{"token":"{{SessionToken}}"}"""));

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/finish-status failed with status 500");
    }

    [Fact]
    public async Task Returns_504_when_Incode_is_too_slow()
    {
        Incode.Stall("GET", IncodePaths.FinishStatus);

        var response = await App.OutwaitIncodeAsync(Requests.PostText("/finish", $$"""{"token":"{{SessionToken}}"}"""), IncodePaths.FinishStatus);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /omni/finish-status did not answer in time");
    }
}
