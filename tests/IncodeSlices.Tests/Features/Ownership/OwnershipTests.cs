using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Ownership;

/// <summary>
/// With caller authentication on, a session is its user's: the other routes answer only its user (or
/// the back office), anyone else gets the 404 of an unknown session and Incode is not called.
/// </summary>
public sealed class OwnershipTests : AppTests<CallerApp>
{
    public OwnershipTests(CallerApp app) : base(app) => app.KeysLoadedAsync().GetAwaiter().GetResult();

    private TestIssuer Issuer => App.Issuer;

    private sealed record Started(string Token, string UniqueId, string InterviewId);

    private async Task<Started> StartAsync(string user)
    {
        Incode.AnswerAll(freshSessions: true);
        var body = await (await Client.SendAsync(As(HttpMethod.Get, "/start", await Issuer.TokenAsync(user)))).JsonAsync(HttpStatusCode.OK);
        var uniqueId = body["uniqueId"]!.GetValue<string>();
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(App.SessionsDir, $"{uniqueId}.json")))!;
        Incode.Reset();
        Incode.AnswerAll(freshSessions: true);
        return new Started(body["token"]!.GetValue<string>(), uniqueId, stored["interviewId"]!.GetValue<string>());
    }

    private static HttpRequestMessage As(HttpMethod method, string path, string? bearer, string? body = null, string? sessionToken = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (sessionToken is not null) request.Headers.Add("X-Token", sessionToken);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    [Fact]
    public async Task The_QR_code_resume_stays_open_but_not_to_another_signed_in_user()
    {
        var alice = await StartAsync("alice");

        var phone = await (await Client.GetAsync($"/start?uniqueId={alice.UniqueId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(alice.Token, phone["token"]!.GetValue<string>());
        var own = await Client.SendAsync(As(HttpMethod.Get, $"/start?uniqueId={alice.UniqueId}", await Issuer.TokenAsync("alice")));
        await own.JsonAsync(HttpStatusCode.OK);

        var bob = await Client.SendAsync(As(HttpMethod.Get, $"/start?uniqueId={alice.UniqueId}", await Issuer.TokenAsync("bob")));

        await bob.AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Onboarding_status_answers_the_owner_and_the_back_office_and_nobody_else()
    {
        var alice = await StartAsync("alice");
        var path = $"/onboarding-status?interviewId={alice.InterviewId}";

        var bob = await Client.SendAsync(As(HttpMethod.Get, path, await Issuer.TokenAsync("bob")));
        await bob.AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        var unknown = await Client.SendAsync(As(HttpMethod.Get, "/onboarding-status?interviewId=0123456789abcdef01234567", await Issuer.TokenAsync("alice")));
        await unknown.AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        Assert.Empty(Incode.Calls); // not an oracle: nothing asked of Incode for either

        var owner = await (await Client.SendAsync(As(HttpMethod.Get, path, await Issuer.TokenAsync("alice")))).JsonAsync(HttpStatusCode.OK);
        var office = await (await Client.SendAsync(As(HttpMethod.Get, path, await Issuer.TokenAsync("carol", scope: TestIssuer.AdminScope))))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(owner.ToJsonString(), office.ToJsonString());
        var calls = Incode.CallsTo(IncodePaths.OnboardingStatus);
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.Equal($"?id={alice.InterviewId}", call.RawQuery()));
    }

    [Fact]
    public async Task Fetch_score_needs_the_owner_and_a_token_of_that_interview()
    {
        var alice = await StartAsync("alice");
        var bobs = await StartAsync("bob");
        var path = $"/fetch-score?interviewId={alice.InterviewId}";

        await (await Client.SendAsync(As(HttpMethod.Get, path, await Issuer.TokenAsync("bob"), sessionToken: alice.Token)))
            .AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        // Alice's interview with the token of another session (Bob's): not a pair this server handed out.
        await (await Client.SendAsync(As(HttpMethod.Get, path, await Issuer.TokenAsync("alice"), sessionToken: bobs.Token)))
            .AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        Assert.Empty(Incode.Calls);

        var owner = await (await Client.SendAsync(As(HttpMethod.Get, path, await Issuer.TokenAsync("alice"), sessionToken: alice.Token)))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal("OK", owner["score"]!.GetValue<string>());
        var call = Incode.SingleCallTo(IncodePaths.Score);
        call.AssertIncodeHeaders(hardwareId: alice.Token);
        Assert.Equal($"?id={alice.InterviewId}", call.RawQuery());
    }

    [Fact]
    public async Task Finish_answers_only_the_owner_and_then_forgets_the_stored_token()
    {
        var alice = await StartAsync("alice");
        var body = $$"""{"token":"{{alice.Token}}"}""";

        await (await Client.SendAsync(As(HttpMethod.Post, "/finish", await Issuer.TokenAsync("bob"), body)))
            .AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        Assert.Empty(Incode.Calls);

        await (await Client.SendAsync(As(HttpMethod.Post, "/finish", await Issuer.TokenAsync("alice"), body))).JsonAsync(HttpStatusCode.OK);

        Assert.Single(Incode.CallsTo(IncodePaths.FinishStatus));
        await (await Client.GetAsync($"/start?uniqueId={alice.UniqueId}")).AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        var left = await File.ReadAllTextAsync(Path.Combine(App.SessionsDir, $"{alice.UniqueId}.json"));
        Assert.DoesNotContain(alice.Token, left, StringComparison.Ordinal);
        // Who owns it is kept: the owner can still read the interview's status.
        await (await Client.SendAsync(As(HttpMethod.Get, $"/onboarding-status?interviewId={alice.InterviewId}", await Issuer.TokenAsync("alice"))))
            .JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_onboarding_url_session_is_its_users_too()
    {
        Incode.AnswerAll(freshSessions: true);
        var created = await (await Client.SendAsync(As(HttpMethod.Get, "/onboarding-url", await Issuer.TokenAsync("alice")))).JsonAsync(HttpStatusCode.OK);
        var path = $"/onboarding-status?interviewId={created["interviewId"]}";
        Incode.Reset();
        Incode.AnswerAll();

        await (await Client.SendAsync(As(HttpMethod.Get, path, await Issuer.TokenAsync("bob")))).AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        await (await Client.SendAsync(As(HttpMethod.Get, path, await Issuer.TokenAsync("alice")))).JsonAsync(HttpStatusCode.OK);

        Assert.Single(Incode.CallsTo(IncodePaths.OnboardingStatus));
    }
}
