using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// Every route once, through the real process: the contract's answers, its refusals and its error
/// shape. In memory the other tests say all of this in detail; here it is for the published native
/// executable (INCODESLICES_TEST_SERVER), where a member trimmed away or a reflection path that cannot
/// run fails only at run time: binding from query, header and body, validators, JSON both ways,
/// Incode's clients, the store, the OAuth token, the OpenAPI document.
/// </summary>
[Trait("Category", ServerProcess.Category)]
public sealed class ContractProcessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("incodeslices-contract-").FullName;
    private readonly IncodeStub _incode = new();

    [Fact]
    public async Task Answers_every_route_of_the_contract()
    {
        _incode.AnswerAll(freshSessions: true);
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root, WebhookOAuth.Settings());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Equal("alive", (await (await http.GetAsync("/health")).JsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        Assert.Equal("ready", (await (await http.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());

        var started = await (await http.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var token = started["token"]!.GetValue<string>();
        var uniqueId = started["uniqueId"]!.GetValue<string>();
        var resumed = await (await http.GetAsync($"/start?uniqueId={uniqueId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(token, resumed["token"]!.GetValue<string>());
        Assert.Equal(1, _incode.ArrivalsAt(IncodePaths.Start)); // resumed from the store, not a second session

        var url = await (await http.GetAsync("/onboarding-url?redirectionUrl=https%3A%2F%2Fexample.com%2Fdone")).JsonAsync(HttpStatusCode.OK);
        Assert.True(url["success"]!.GetValue<bool>());
        Assert.StartsWith("http", url["url"]!.GetValue<string>());
        var interviewId = url["interviewId"]!.GetValue<string>();

        var status = await (await http.GetAsync($"/onboarding-status?interviewId={interviewId}")).JsonAsync(HttpStatusCode.OK);
        Assert.True(status["success"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(status["onboardingStatus"]!.GetValue<string>()));

        using var score = new HttpRequestMessage(HttpMethod.Get, $"/fetch-score?interviewId={interviewId}");
        score.Headers.Add("X-Token", token);
        Assert.Equal("""{"success":true,"score":"OK"}""", (await (await http.SendAsync(score)).JsonAsync(HttpStatusCode.OK)).ToJsonString());
        Assert.Equal($"?id={interviewId}", _incode.CallsTo(IncodePaths.Score).Last().RawQuery());

        var finished = await (await http.SendAsync(Requests.PostText("/finish", new JsonObject { ["token"] = token }.ToJsonString()))).JsonAsync(HttpStatusCode.OK);
        Json.AssertSame(IncodePayloads.Read("finish-status.response"), finished.ToJsonString());

        var auth = new JsonObject { ["transactionId"] = "t-1", ["token"] = "face-token", ["interviewToken"] = token };
        await (await http.SendAsync(Requests.PostText("/auth", auth.ToJsonString()))).JsonAsync(HttpStatusCode.OK);

        var bearer = await http.TokenAsync();
        var delivery = new JsonObject
        {
            ["interviewId"] = interviewId,
            ["onboardingStatus"] = "ONBOARDING_FINISHED",
            ["extra"] = new JsonObject { ["kept"] = new JsonArray(1, 2) },
        }.ToJsonString();
        var webhook = await (await http.SendAsync(WebhookOAuth.Delivery("/webhook", bearer, delivery))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["timestamp", "success", "data"], webhook.Select(p => p.Key));
        Json.AssertSame(delivery, webhook["data"]!.ToJsonString());
        var approved = await (await http.SendAsync(WebhookOAuth.Delivery("/approve", bearer, delivery))).JsonAsync(HttpStatusCode.OK);
        Json.AssertSame(IncodePayloads.Read("process-approve.response"), approved["data"]!.ToJsonString());
        await (await http.SendAsync(WebhookOAuth.Delivery("/webhook", null, delivery))).AssertErrorAsync(HttpStatusCode.Unauthorized, "Missing or invalid bearer token");
        await (await http.SendAsync(WebhookOAuth.TokenRequest(clientSecret: "wrong"))).AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");

        var document = await (await http.GetAsync("/swagger/v1/swagger.json")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("/face-auth/verify", document["paths"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Verifies_a_face_authentication_once()
    {
        _incode.AnswerFaceAuth();
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var session = await http.StartAsync();
        var verified = await (await http.SendAsync(FaceAuthRequests.Verify(session.InterviewId, session.Token))).JsonAsync(HttpStatusCode.OK);
        var again = await (await http.SendAsync(FaceAuthRequests.Verify(session.InterviewId, session.Token))).JsonAsync(HttpStatusCode.OK);

        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.Equal(FaceAuthRequests.Identity, verified["identityId"]!.GetValue<string>());
        Assert.False(again["valid"]!.GetValue<bool>(), again.ToJsonString()); // once only
    }

    [Fact]
    public async Task Keeps_sessions_in_Redis()
    {
        _incode.AnswerFaceAuth();
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root, TestRedis.Settings(TestRedis.NewPrefix()));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var started = await (await http.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var resumed = await (await http.GetAsync($"/start?uniqueId={started["uniqueId"]}")).JsonAsync(HttpStatusCode.OK);
        var session = await http.StartAsync();
        var verified = await (await http.SendAsync(FaceAuthRequests.Verify(session.InterviewId, session.Token))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(started["token"]!.GetValue<string>(), resumed["token"]!.GetValue<string>());
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.Equal("ok", (await (await http.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK))["checks"]!["store"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(_root, "sessions")), "the sessions went to files, not Redis");
    }

    [Fact]
    public async Task Refuses_in_the_contract_s_words()
    {
        _incode.AnswerAll(freshSessions: true).Answer("GET", IncodePaths.OnboardingStatus, 500, """{"error":"boom"}""");
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        await (await http.GetAsync("/fetch-score")).AssertErrorAsync(HttpStatusCode.BadRequest, "Missing required parameter interviewId");
        await (await http.GetAsync("/fetch-score?interviewId=abc")).AssertErrorAsync(HttpStatusCode.BadRequest, "Missing required header X-Token");
        await (await http.SendAsync(Requests.PostText("/finish", """{"token":"""))).AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid JSON body");
        await (await http.SendAsync(Requests.PostText("/finish", "{}"))).AssertErrorAsync(HttpStatusCode.BadRequest, "Missing required parameter token");
        await (await http.GetAsync("/onboarding-status?interviewId=abc")).AssertErrorAsync(HttpStatusCode.BadGateway,
            "Incode /omni/get/onboarding/status failed with status 500");
        await (await http.GetAsync("/nope?x=1")).AssertNotFoundAsync("Cannot GET /nope?x=1");
    }

    [Fact]
    public async Task Binds_sessions_to_the_callers_of_a_real_issuer()
    {
        _incode.AnswerAll(freshSessions: true);
        await using var issuer = await TestIssuer.CreateAsync();
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root, issuer.Settings());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        // The keys are loaded beside start-up: ready once they are.
        await Eventually.HoldsAsync(() => http.GetAsync("/health/ready").GetAwaiter().GetResult().IsSuccessStatusCode, "the issuer's keys are loaded");

        await (await http.GetAsync("/start")).AssertErrorAsync(HttpStatusCode.Unauthorized, "Unauthorized");
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/start");
        forged.Headers.Authorization = new("Bearer", issuer.Mint(key: TestIssuer.NewKey()));
        await (await http.SendAsync(forged)).AssertErrorAsync(HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal(0, _incode.ArrivalsAt(IncodePaths.Start));

        using var alice = new HttpRequestMessage(HttpMethod.Get, "/start");
        alice.Headers.Authorization = new("Bearer", await issuer.TokenAsync("alice"));
        var started = await (await http.SendAsync(alice)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(64, System.Text.Json.Nodes.JsonNode.Parse(_incode.SingleCallTo(IncodePaths.Start).RequestMessage.Body!)!["externalCustomerId"]!
            .GetValue<string>().Length);

        using var bob = new HttpRequestMessage(HttpMethod.Get, $"/start?uniqueId={started["uniqueId"]}");
        bob.Headers.Authorization = new("Bearer", await issuer.TokenAsync("bob"));
        await (await http.SendAsync(bob)).AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        await (await http.GetAsync($"/start?uniqueId={started["uniqueId"]}")).JsonAsync(HttpStatusCode.OK); // the QR code's way in
    }

    public void Dispose()
    {
        _incode.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
