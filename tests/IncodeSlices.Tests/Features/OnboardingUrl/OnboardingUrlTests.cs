using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.OnboardingUrl;

public sealed class OnboardingUrlTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    [Fact]
    public async Task Answers_success_token_interviewId_and_url_in_that_order()
    {
        Incode.AnswerAll();

        var body = await (await Client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);

        var start = IncodeStub.StartAnswer;
        var url = IncodePayloads.ReadObject("onboarding-url.response")["url"]!.GetValue<string>();
        Assert.Equal($$"""{"success":true,"token":"{{start["token"]}}","interviewId":"{{start["interviewId"]}}","url":"{{url}}"}""",
            body.ToJsonString());
    }

    [Fact]
    public async Task Starts_a_session_then_asks_for_its_url_with_the_session_token()
    {
        Incode.AnswerAll();

        await (await Client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);

        var start = Incode.SingleCallTo(IncodePaths.Start);
        start.AssertIncodeHeaders(hardwareId: null);
        Json.AssertSame($$"""{"configurationId":"{{IncodeStub.FlowId}}","language":"en-US"}""", start.RequestMessage.Body!);

        var url = Incode.SingleCallTo(IncodePaths.OnboardingUrl);
        Assert.Equal("GET", url.RequestMessage.Method);
        Assert.Equal("", url.RawQuery());
        url.AssertIncodeHeaders(hardwareId: IncodeStub.StartAnswer["token"]!.GetValue<string>());
        Assert.True(string.IsNullOrEmpty(url.RequestMessage.Body));
        Assert.Equal(2, Incode.Calls.Count);
    }

    [Fact]
    public async Task Passes_redirectionUrl_to_omni_start()
    {
        Incode.AnswerAll();

        await (await Client.GetAsync("/onboarding-url?redirectionUrl=https%3A%2F%2Fshop.example.com%2Fdone%3Fa%3D1")).JsonAsync(HttpStatusCode.OK);

        Json.AssertSame(
            $$"""{"configurationId":"{{IncodeStub.FlowId}}","language":"en-US","redirectionUrl":"https://shop.example.com/done?a=1"}""",
            Incode.SingleCallTo(IncodePaths.Start).RequestMessage.Body!);
    }

    [Theory]
    [InlineData("http://localhost:5173/done")]
    [InlineData("http://127.0.0.1/done")]
    public async Task Accepts_plain_http_to_localhost(string url)
    {
        Incode.AnswerAll();

        var response = await Client.GetAsync($"/onboarding-url?redirectionUrl={Uri.EscapeDataString(url)}");

        await response.JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("http://shop.example.com/done")]
    [InlineData("//evil.example")]
    [InlineData("https://good.example@evil.example/")]
    [InlineData("/relative/path")]
    public async Task Refuses_a_redirectionUrl_that_is_not_absolute_https(string url)
    {
        var response = await Client.GetAsync($"/onboarding-url?redirectionUrl={Uri.EscapeDataString(url)}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest,
            "Invalid redirectionUrl: it must be an absolute https URL (http only to localhost) of an allowed host");
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Writes_no_session_file()
    {
        Incode.AnswerAll();

        await (await Client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);

        Assert.False(Directory.Exists(App.SessionsDir) && Directory.EnumerateFiles(App.SessionsDir).Any());
    }

    [Fact]
    public async Task Returns_502_naming_the_onboarding_url_call_when_it_fails()
    {
        Incode.AnswerPayload("POST", IncodePaths.Start, "omni-start.response")
            .Answer("GET", IncodePaths.OnboardingUrl, 500, IncodePayloads.Read("error.response"));

        var response = await Client.GetAsync("/onboarding-url");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /0/omni/onboarding-url failed with status 500");
        Assert.Equal(3, Incode.CallsTo(IncodePaths.OnboardingUrl).Count); // a read is retried twice
    }

    [Fact]
    public async Task Returns_504_when_Incode_is_too_slow()
    {
        Incode.AnswerPayload("POST", IncodePaths.Start, "omni-start.response")
            .Stall("GET", IncodePaths.OnboardingUrl);

        var response = await App.OutwaitIncodeAsync(new HttpRequestMessage(HttpMethod.Get, "/onboarding-url"), IncodePaths.OnboardingUrl);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /0/omni/onboarding-url did not answer in time");
    }
}
