using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.OnboardingStatus;

public sealed class OnboardingStatusTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    [Fact]
    public async Task Answers_Incode_s_onboarding_status()
    {
        Incode.AnswerAll();

        var body = await (await Client.GetAsync("/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("""{"success":true,"onboardingStatus":"ONBOARDING_FINISHED"}""", body.ToJsonString());
    }

    [Fact]
    public async Task Asks_Incode_with_the_admin_token_and_the_id_as_one_encoded_value()
    {
        Incode.AnswerAll();

        await (await Client.GetAsync("/onboarding-status?interviewId=" + Uri.EscapeDataString("a&id=b"))).JsonAsync(HttpStatusCode.OK);

        var call = Incode.SingleCallTo(IncodePaths.OnboardingStatus);
        Assert.Equal("GET", call.RequestMessage.Method);
        Assert.Equal("?id=a%26id%3Db", call.RawQuery());
        Assert.Equal(["a&id=b"], call.RequestMessage.Query!["id"]);
        call.AssertIncodeHeaders(hardwareId: IncodeStub.AdminToken);
    }

    [Theory]
    [InlineData("/onboarding-status")]
    [InlineData("/onboarding-status?interviewId=")]
    public async Task Refuses_a_missing_interviewId(string path)
    {
        var response = await Client.GetAsync(path);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Missing required parameter interviewId");
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Returns_502_when_Incode_answers_500_after_retrying_the_read()
    {
        Incode.Answer("GET", IncodePaths.OnboardingStatus, 500, IncodePayloads.Read("error.response"));

        var response = await Client.GetAsync("/onboarding-status?interviewId=abc");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/get/onboarding/status failed with status 500");
        Assert.Equal(3, Incode.CallsTo(IncodePaths.OnboardingStatus).Count);
    }

    [Fact]
    public async Task Returns_502_without_a_second_try_when_Incode_rejects_a_static_ADMIN_TOKEN()
    {
        Incode.Answer("GET", IncodePaths.OnboardingStatus, 401, IncodePayloads.Read("error.response"));

        var response = await Client.GetAsync("/onboarding-status?interviewId=abc");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/get/onboarding/status failed with status 401");
        Assert.Single(Incode.CallsTo(IncodePaths.OnboardingStatus));
        Assert.Empty(Incode.CallsTo(IncodePaths.ExecutiveLogIn));
    }

    [Fact]
    public async Task Returns_504_when_Incode_is_too_slow()
    {
        Incode.Stall("GET", IncodePaths.OnboardingStatus);

        var response = await App.OutwaitIncodeAsync(new HttpRequestMessage(HttpMethod.Get, "/onboarding-status?interviewId=abc"), IncodePaths.OnboardingStatus);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /omni/get/onboarding/status did not answer in time");
    }
}
