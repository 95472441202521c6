using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Webhook;

public sealed class WebhookTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    private static readonly string Finished = IncodePayloads.Read("webhook.onboarding-status");

    [Fact]
    public async Task Echoes_the_payload_with_every_key_and_a_UTC_timestamp()
    {
        Incode.AnswerAll();

        var body = await (await Client.SendAsync(Requests.PostJson("/webhook", Finished))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["timestamp", "success", "data"], body.Select(p => p.Key));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", body["timestamp"]!.GetValue<string>());
        var stamped = DateTime.ParseExact(body["timestamp"]!.GetValue<string>(), "yyyy-MM-dd HH:mm:ss", null);
        Assert.InRange(stamped, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal(JsonNode.Parse(Finished)!.ToJsonString(), body["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Fetches_the_score_with_the_admin_token_on_ONBOARDING_FINISHED()
    {
        Incode.AnswerAll();

        await (await Client.SendAsync(Requests.PostText("/webhook", Finished))).JsonAsync(HttpStatusCode.OK);

        var call = Incode.SingleCallTo(IncodePaths.Score);
        Assert.Equal("GET", call.RequestMessage.Method);
        Assert.Equal("?id=6650f0c2a1b2c3d4e5f60718", call.RawQuery());
        call.AssertIncodeHeaders(hardwareId: IncodeStub.AdminToken);
        Assert.Single(Incode.Calls);
    }

    [Theory]
    [InlineData("ID_VALIDATION_FINISHED")]
    [InlineData("MANUAL_REVIEW_APPROVED")]
    [InlineData("SOMETHING_NEW")]
    public async Task Only_echoes_any_other_status(string status)
    {
        var payload = $$"""{"interviewId":"abc","onboardingStatus":"{{status}}","unknownKey":[1,2]}""";

        var body = await (await Client.SendAsync(Requests.PostJson("/webhook", payload))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(JsonNode.Parse(payload)!.ToJsonString(), body["data"]!.ToJsonString());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Still_answers_200_when_the_score_lookup_fails()
    {
        Incode.Answer("GET", IncodePaths.Score, 500, IncodePayloads.Read("error.response"));

        var body = await (await Client.SendAsync(Requests.PostJson("/webhook", Finished))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal(3, Incode.CallsTo(IncodePaths.Score).Count);
    }

    [Fact]
    public async Task Still_answers_200_when_the_score_lookup_times_out()
    {
        Incode.Stall("GET", IncodePaths.Score);

        var body = await (await App.OutwaitIncodeAsync(Requests.PostJson("/webhook", Finished), IncodePaths.Score)).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task Refuses_a_body_that_is_not_a_JSON_object(string body)
    {
        var response = await Client.SendAsync(Requests.PostJson("/webhook", body));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid JSON body");
    }
}
