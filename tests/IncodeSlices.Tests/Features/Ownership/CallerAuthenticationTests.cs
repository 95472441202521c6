using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Ownership;

/// <summary>
/// CALLER_JWT_AUTHORITY set, against a real OpenID Connect issuer (OpenIddict): who may create a
/// session, and that a refused caller costs no Incode call. Ownership of what is created: OwnershipTests.
/// </summary>
public sealed class CallerAuthenticationTests : AppTests<CallerApp>
{
    public CallerAuthenticationTests(CallerApp app) : base(app) => app.KeysLoadedAsync().GetAwaiter().GetResult();

    private TestIssuer Issuer => App.Issuer;

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Theory]
    [InlineData("/start")]
    [InlineData("/onboarding-url")]
    [InlineData("/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718")]
    [InlineData("/fetch-score?interviewId=6650f0c2a1b2c3d4e5f60718")]
    public async Task Without_a_token_answers_401_with_the_bearer_challenge_and_calls_nothing(string path)
    {
        Incode.AnswerAll(freshSessions: true);

        var response = await Client.SendAsync(Get(path, token: null));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Finish_without_a_token_answers_401_and_calls_nothing()
    {
        Incode.AnswerAll(freshSessions: true);

        var response = await Client.PostAsync("/finish", new StringContent("""{"token":"some-session-token"}""", Encoding.UTF8, "application/json"));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Empty(Incode.Calls);
    }

    public static TheoryData<string> Forgeries => ["alg none", "HS256 keyed with the public key", "unknown key", "wrong issuer", "wrong audience", "expired", "garbage"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_invalid_token_answers_401_and_calls_nothing(string forgery)
    {
        Incode.AnswerAll(freshSessions: true);
        var token = forgery switch
        {
            "alg none" => Issuer.Unsigned(),
            "HS256 keyed with the public key" => Issuer.SignedWithPublicKey(),
            "unknown key" => Issuer.Mint(key: TestIssuer.NewKey()),
            "wrong issuer" => Issuer.Mint(issuer: "https://login.example.com/"),
            "wrong audience" => await Issuer.TokenAsync("alice", audience: "another-api"),
            "expired" => Issuer.Mint(expires: DateTime.UtcNow.AddMinutes(-5)), // beyond the minute of skew
            _ => "not.a.jwt",
        };

        var response = await Client.SendAsync(Get("/start", token));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(Incode.Calls);
        // The token is never logged, whole or in part.
        if (token.Length > 20) App.Logs.AssertNoneContains(token[^20..]);
    }

    [Fact]
    public async Task A_token_the_issuer_signed_by_hand_with_its_own_key_is_taken()
    {
        // The control for the forgeries above: the same minting, nothing wrong with it, is accepted.
        Incode.AnswerAll(freshSessions: true);

        var response = await Client.SendAsync(Get("/start", Issuer.Mint(user: "carol")));

        await response.JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_users_token_starts_a_session_bound_to_the_user_and_tells_Incode_who_by_HMAC()
    {
        Incode.AnswerAll(freshSessions: true);
        var token = await Issuer.TokenAsync("alice");

        var body = await (await Client.SendAsync(Get("/start", token))).JsonAsync(HttpStatusCode.OK);

        var call = Incode.SingleCallTo(IncodePaths.Start);
        call.AssertIncodeHeaders(hardwareId: null);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestIssuer.ExternalIdKey), "alice"u8));
        Json.AssertSame($$"""{"configurationId":"{{IncodeStub.FlowId}}","language":"en-US","externalCustomerId":"{{expected}}"}""",
            call.RequestMessage.Body!);
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(App.SessionsDir, $"{body["uniqueId"]}.json")))!.AsObject();
        Assert.Equal(["token", "interviewId", "uniqueId", "user"], stored.Select(p => p.Key));
        Assert.Equal("alice", stored["user"]!.GetValue<string>());
        // The bearer token goes nowhere near Incode.
        Assert.DoesNotContain(call.RequestMessage.Headers!, h => h.Value.Any(v => v.Contains(token, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Onboarding_url_with_a_users_token_tells_Incode_who_and_answers_as_the_contract_says()
    {
        Incode.AnswerAll(freshSessions: true);

        var body = await (await Client.SendAsync(Get("/onboarding-url", await Issuer.TokenAsync("alice")))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["success", "token", "interviewId", "url"], body.Select(p => p.Key));
        var sent = JsonNode.Parse(Incode.SingleCallTo(IncodePaths.Start).RequestMessage.Body!)!;
        Assert.Equal(64, sent["externalCustomerId"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task The_health_check_reports_caller_authentication_ready_once_the_keys_are_loaded()
    {
        var ready = await (await Client.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("ok", ready["checks"]!["callerAuth"]!.GetValue<string>());
    }
}
