using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace IncodeSlices.Tests.Infrastructure.Incode;

/// <summary>ADMIN_EMAIL and ADMIN_PASSWORD set: the server logs in to Incode itself, caches the token and renews it.</summary>
public sealed class ExecutiveLoginTests : AppTests<ExecutiveLoginTests.LoginApp>
{
    private const string Email = "admin@example.com";
    private const string Password = "correct horse battery staple";
    private const string OnboardingStatus = "/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718";

    /// <summary>
    /// One server for the class, its admin-token provider made anew for each test: the provider's state
    /// (token held, failures, pause) is the subject. ADMIN_TOKEN stays set, as the stub's default: the
    /// login pair must win over it.
    /// </summary>
    public sealed class LoginApp : IncodeApp
    {
        public LoginApp() : base(new Dictionary<string, string?> { ["ADMIN_EMAIL"] = Email, ["ADMIN_PASSWORD"] = Password }, AdminTokensAnew.Register)
        {
            _ = Client;
            StartupLines = Logs.Lines;
        }

        /// <summary>What the server logged as it started, before any test cleared the log.</summary>
        public IReadOnlyList<string> StartupLines { get; }
    }

    public ExecutiveLoginTests(LoginApp app) : base(app)
    {
        app.Services.GetRequiredService<AdminTokensAnew>().Renew();
        Incode.AnswerAll();
    }

    private TestClock Clock => App.Clock;
    private LogCapture Logs => App.Logs;

    private IReadOnlyList<WireMock.Logging.ILogEntry> Logins => Incode.CallsTo(IncodePaths.ExecutiveLogIn);

    [Fact]
    public async Task Logs_in_with_the_configured_user_and_sends_the_token_it_gets_on_admin_calls()
    {
        var token = DayToken("a");
        Incode.AnswerLogins(token);

        await AskStatusAsync();

        var login = Assert.Single(Logins);
        Assert.Equal("POST", login.RequestMessage.Method);
        login.AssertIncodeHeaders(hardwareId: null);
        Json.AssertSame($$"""{"email":"{{Email}}","password":"{{Password}}"}""", login.RequestMessage.Body!);
        Incode.SingleCallTo(IncodePaths.OnboardingStatus).AssertIncodeHeaders(hardwareId: token);
    }

    [Fact]
    public async Task Logs_in_once_for_many_admin_calls_even_when_they_arrive_together()
    {
        var token = DayToken("a");
        Incode.Respond("POST", IncodePaths.ExecutiveLogIn, r => r
            .WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(new JsonObject { ["token"] = token }.ToJsonString()).WithDelay(TimeSpan.FromMilliseconds(300)));

        var together = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Client.GetAsync(OnboardingStatus)));
        foreach (var response in together) await response.JsonAsync(HttpStatusCode.OK);
        await (await Client.SendAsync(Requests.PostJson("/auth", IncodePayloads.Read("authentication-verify.request")))).JsonAsync(HttpStatusCode.OK);
        await (await Client.SendAsync(Requests.PostJson("/approve", IncodePayloads.Read("webhook.onboarding-status")))).JsonAsync(HttpStatusCode.OK);

        Assert.Single(Logins);
        Assert.All(Incode.Calls.Where(c => c.RequestMessage.Path != IncodePaths.ExecutiveLogIn),
            call => Assert.Equal(token, call.Header("X-Incode-Hardware-Id")));
    }

    [Theory]
    [InlineData(24 * 60, true, 22 * 60 + 50, 23 * 60 + 10)] // an hour before a day-long token expires
    [InlineData(24 * 60, false, 22 * 60 + 50, 23 * 60 + 10)] // no exp claim: Incode's 24 hours
    [InlineData(10, true, 8, 9.5)] // a tenth of a short life
    public async Task Renews_the_token_when_a_tenth_of_its_life_or_an_hour_is_left(
        double lifetimeMinutes, bool tokenSaysWhen, double notYetMinutes, double dueMinutes)
    {
        var expires = Clock.GetUtcNow().AddMinutes(lifetimeMinutes);
        var first = tokenSaysWhen ? Jwt(expires, "a") : IncodePayloads.ReadObject("executive-log-in.response")["token"]!.GetValue<string>();
        var second = Jwt(expires.AddHours(24), "b");
        Incode.AnswerLogins(first, second);
        await AskStatusAsync();

        Clock.Advance(TimeSpan.FromMinutes(notYetMinutes));
        await AskStatusAsync();
        Assert.Single(Logins);

        Clock.Advance(TimeSpan.FromMinutes(dueMinutes - notYetMinutes));
        await AskStatusAsync();

        Assert.Equal(2, Logins.Count);
        Assert.Equal([first, first, second], Incode.CallsTo(IncodePaths.OnboardingStatus).Select(c => c.Header("X-Incode-Hardware-Id")));
    }

    [Theory]
    [InlineData("GET", IncodePaths.OnboardingStatus)]
    [InlineData("POST", IncodePaths.AuthenticationVerify)]
    public async Task Logs_in_again_and_resends_an_admin_call_that_Incode_answers_401(string method, string path)
    {
        var (first, second) = (DayToken("a"), DayToken("b"));
        Incode.AnswerLogins(first, second);
        Reject(path, first);

        var response = await SendAdminCallAsync(method);

        await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, Logins.Count);
        var attempts = Incode.CallsTo(path);
        Assert.Equal([first, second], attempts.Select(c => c.Header("X-Incode-Hardware-Id")));
        Assert.Equal(attempts[0].RequestMessage.Body, attempts[1].RequestMessage.Body); // a POST's body is sent again whole
    }

    [Fact]
    public async Task Sends_an_admin_call_at_most_twice_when_Incode_keeps_answering_401()
    {
        Incode.AnswerLogins(DayToken("a"), DayToken("b"));
        Reject(IncodePaths.OnboardingStatus, "*");

        var response = await Client.GetAsync(OnboardingStatus);

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/get/onboarding/status failed with status 401");
        Assert.Equal(2, Logins.Count);
        Assert.Equal(2, Incode.CallsTo(IncodePaths.OnboardingStatus).Count);
    }

    [Fact]
    public async Task Never_renews_for_a_session_call_that_Incode_answers_401()
    {
        await LogInOnceAsync();
        Reject(IncodePaths.Score, "*");

        var request = new HttpRequestMessage(HttpMethod.Get, "/fetch-score?interviewId=abc") { Headers = { { "X-Token", "session-token-0001" } } };
        var response = await Client.SendAsync(request);

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/get/score failed with status 401");
        Assert.Single(Logins);
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(500)]
    public async Task Answers_503_when_the_login_fails_and_webhook_still_echoes(int status)
    {
        Incode.Answer("POST", IncodePaths.ExecutiveLogIn, status, """{"message":"Invalid credentials for admin@example.com"}""");

        var statusResponse = await Client.GetAsync(OnboardingStatus);
        var webhook = await Client.SendAsync(Requests.PostJson("/webhook", IncodePayloads.Read("webhook.onboarding-status")));

        await AssertLoginFailedAsync(statusResponse); // the exact body: nothing of Incode's answer
        Assert.True((await webhook.JsonAsync(HttpStatusCode.OK))["success"]!.GetValue<bool>());
        Assert.Empty(Incode.CallsTo(IncodePaths.OnboardingStatus));
        Assert.Empty(Incode.CallsTo(IncodePaths.Score));
    }

    [Fact]
    public async Task Answers_503_when_the_login_after_a_401_fails()
    {
        var first = await LogInOnceAsync();
        FailLoginsFromNowOn(401);
        Reject(IncodePaths.OnboardingStatus, first);

        var response = await Client.GetAsync(OnboardingStatus);

        await AssertLoginFailedAsync(response);
        Assert.Equal(2, Logins.Count);
    }

    [Fact]
    public async Task Waits_before_logging_in_again_after_a_failed_login()
    {
        Incode.Answer("POST", IncodePaths.ExecutiveLogIn, 401, "{}");
        await AssertLoginFailedAsync(await Client.GetAsync(OnboardingStatus));

        await AssertLoginFailedAsync(await Client.GetAsync(OnboardingStatus));
        Assert.Single(Logins);

        Incode.Server.ResetMappings();
        Incode.AnswerAll().AnswerLogins(DayToken("a"));
        Clock.Advance(TimeSpan.FromSeconds(31));
        await AskStatusAsync();
        Assert.Equal(2, Logins.Count);
    }

    [Fact]
    public async Task Keeps_sending_a_still_valid_token_when_an_early_renewal_fails()
    {
        var first = await LogInOnceAsync();
        FailLoginsFromNowOn(500);
        Clock.Advance(TimeSpan.FromHours(23.5));

        await AskStatusAsync();

        Assert.Equal(2, Logins.Count);
        Assert.Equal(first, Incode.CallsTo(IncodePaths.OnboardingStatus)[^1].Header("X-Incode-Hardware-Id"));
    }

    [Fact]
    public async Task Never_logs_the_password_or_a_token_through_login_renewal_and_failure()
    {
        var (first, second) = (DayToken("a"), DayToken("b"));
        Incode.AnswerLogins(first, second);
        Reject(IncodePaths.OnboardingStatus, first);
        await AskStatusAsync();
        FailLoginsFromNowOn(401);
        Reject(IncodePaths.OnboardingStatus, second);
        await AssertLoginFailedAsync(await Client.GetAsync(OnboardingStatus));

        Assert.Contains(Logs.Lines, line => line.StartsWith("Logged in to Incode as executive", StringComparison.Ordinal));
        Assert.Contains(Logs.Lines, line => line.StartsWith("Incode admin login failed", StringComparison.Ordinal));
        Logs.AssertNoneContains(Password, first, second, IncodeStub.ApiKey);
    }

    [Fact]
    public void Says_at_start_up_that_ADMIN_TOKEN_is_ignored()
    {
        Assert.Contains(App.StartupLines, line => line.StartsWith("ADMIN_TOKEN is ignored", StringComparison.Ordinal));
    }

    private string DayToken(string id) => Jwt(Clock.GetUtcNow().AddHours(24), id);

    private async Task AskStatusAsync() => await (await Client.GetAsync(OnboardingStatus)).JsonAsync(HttpStatusCode.OK);

    private static Task AssertLoginFailedAsync(HttpResponseMessage response) =>
        response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Incode admin login failed");

    /// <summary>One admin call, so that the server holds a token; returns that token.</summary>
    private async Task<string> LogInOnceAsync()
    {
        var token = DayToken("a");
        Incode.AnswerLogins(token);
        await AskStatusAsync();
        return token;
    }

    private void FailLoginsFromNowOn(int status)
    {
        Incode.Server.ResetMappings();
        Incode.AnswerAll().Answer("POST", IncodePaths.ExecutiveLogIn, status, "{}");
    }

    private Task<HttpResponseMessage> SendAdminCallAsync(string method) => method == "GET"
        ? Client.GetAsync(OnboardingStatus)
        : Client.SendAsync(Requests.PostJson("/auth", IncodePayloads.Read("authentication-verify.request")));

    /// <summary>Incode answers 401 to calls on <paramref name="path"/> carrying this token (<c>*</c>: any).</summary>
    private void Reject(string path, string token) => Incode.Server
        .Given(Request.Create().WithPath(path).WithHeader("X-Incode-Hardware-Id", token))
        .AtPriority(-1) // before the happy path, which has the default priority 0
        .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Unauthorized"}"""));

    /// <summary>An unsigned JWT with this expiry; <paramref name="id"/> keeps tokens of the same expiry apart.</summary>
    private static string Jwt(DateTimeOffset expires, string id)
    {
        static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var claims = new JsonObject { ["exp"] = expires.ToUnixTimeSeconds(), ["jti"] = id }.ToJsonString();
        return Part("""{"alg":"HS256","typ":"JWT"}""") + "." + Part(claims) + ".signature";
    }
}
