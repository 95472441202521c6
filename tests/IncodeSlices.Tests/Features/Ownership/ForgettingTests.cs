using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Ownership;

/// <summary>
/// A finished session's stored token is forgotten, with or without caller authentication: it is a
/// credential Incode honours for months. Here without (the contract's own server).
/// </summary>
public sealed class ForgettingTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    private async Task<(string Token, string UniqueId, string InterviewId)> StartAsync()
    {
        Incode.AnswerAll(freshSessions: true);
        var body = await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var uniqueId = body["uniqueId"]!.GetValue<string>();
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(App.SessionsDir, $"{uniqueId}.json")))!;
        return (body["token"]!.GetValue<string>(), uniqueId, stored["interviewId"]!.GetValue<string>());
    }

    private string SessionFile(string uniqueId) => File.ReadAllText(Path.Combine(App.SessionsDir, $"{uniqueId}.json"));

    [Fact]
    public async Task Finish_forgets_the_token_and_a_resume_then_answers_404()
    {
        var session = await StartAsync();

        await (await Client.SendAsync(Requests.PostJson("/finish", $$"""{"token":"{{session.Token}}"}"""))).JsonAsync(HttpStatusCode.OK);

        await (await Client.GetAsync($"/start?uniqueId={session.UniqueId}")).AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        Assert.DoesNotContain(session.Token, SessionFile(session.UniqueId), StringComparison.Ordinal);
        Assert.Contains("\"finished\": true", SessionFile(session.UniqueId), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/webhook")]
    [InlineData("/approve")]
    public async Task Onboarding_finished_forgets_the_token_of_that_interview_only(string route)
    {
        var finished = await StartAsync();
        var other = await StartAsync();

        var payload = $$"""{"interviewId":"{{finished.InterviewId}}","onboardingStatus":"ONBOARDING_FINISHED"}""";
        await (await Client.SendAsync(Requests.PostJson(route, payload))).JsonAsync(HttpStatusCode.OK);

        await (await Client.GetAsync($"/start?uniqueId={finished.UniqueId}")).AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        var resumed = await (await Client.GetAsync($"/start?uniqueId={other.UniqueId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(other.Token, resumed["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_step_of_the_onboarding_forgets_nothing()
    {
        var session = await StartAsync();

        var payload = $$"""{"interviewId":"{{session.InterviewId}}","onboardingStatus":"ID_VALIDATION_FINISHED"}""";
        await (await Client.SendAsync(Requests.PostJson("/webhook", payload))).JsonAsync(HttpStatusCode.OK);

        await (await Client.GetAsync($"/start?uniqueId={session.UniqueId}")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_session_file_keeps_the_Node_samples_format_when_nobody_is_signed_in()
    {
        var session = await StartAsync();

        Assert.Equal(["token", "interviewId", "uniqueId"], JsonNode.Parse(SessionFile(session.UniqueId))!.AsObject().Select(p => p.Key));
    }
}
