using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Auth;

public sealed class AuthTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    private static readonly string Attempt = IncodePayloads.Read("authentication-verify.request");

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain;charset=UTF-8")] // fetch(url, {method: 'POST', body: JSON.stringify(x)})
    [InlineData(null)]
    public async Task Answers_Incode_s_verdict_unchanged_whatever_the_content_type(string? contentType)
    {
        Incode.Answer("POST", IncodePaths.AuthenticationVerify, 200, """{"verified":true,"extra":{"kept":1}}""");

        var body = await (await Client.SendAsync(Requests.PostText("/auth", Attempt, contentType))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("""{"verified":true,"extra":{"kept":1}}""", body.ToJsonString());
    }

    [Fact]
    public async Task Sends_exactly_the_three_values_with_the_admin_token()
    {
        Incode.AnswerAll();

        await (await Client.SendAsync(Requests.PostText("/auth", Attempt, null))).JsonAsync(HttpStatusCode.OK);

        var call = Incode.SingleCallTo(IncodePaths.AuthenticationVerify);
        Assert.Equal("POST", call.RequestMessage.Method);
        Assert.Equal("", call.RawQuery());
        call.AssertIncodeHeaders(hardwareId: IncodeStub.AdminToken);
        Json.AssertSame(Attempt, call.RequestMessage.Body!);
    }

    [Theory]
    [InlineData("""{"token":"t","interviewToken":"i"}""", "Missing required parameter transactionId")]
    [InlineData("""{"transactionId":"x","interviewToken":"i"}""", "Missing required parameter token")]
    [InlineData("""{"transactionId":"x","token":"t","interviewToken":""}""", "Missing required parameter interviewToken")]
    [InlineData("""{"transactionId":1,"token":"t","interviewToken":"i"}""", "Invalid JSON body")]
    [InlineData("""not json""", "Invalid JSON body")]
    [InlineData("""null""", "Invalid JSON body")]
    [InlineData("""["a"]""", "Invalid JSON body")]
    [InlineData("", "Invalid JSON body")]
    public async Task Refuses_a_body_without_the_three_values(string body, string error)
    {
        var response = await Client.SendAsync(Requests.PostText("/auth", body));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, error);
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Returns_502_and_does_not_retry_when_Incode_answers_500()
    {
        Incode.Answer("POST", IncodePaths.AuthenticationVerify, 500, IncodePayloads.Read("error.response"));

        var response = await Client.SendAsync(Requests.PostText("/auth", Attempt));

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/authentication/verify failed with status 500");
        Assert.Single(Incode.CallsTo(IncodePaths.AuthenticationVerify));
    }

    [Fact]
    public async Task Returns_504_when_Incode_is_too_slow()
    {
        Incode.Stall("POST", IncodePaths.AuthenticationVerify);

        var response = await App.OutwaitIncodeAsync(Requests.PostText("/auth", Attempt), IncodePaths.AuthenticationVerify);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /omni/authentication/verify did not answer in time");
    }
}
