using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.WebhookAccess;

public sealed class WebhookSecretTests(WebhookSecretTests.SecretApp app) : AppTests<WebhookSecretTests.SecretApp>(app)
{
    private const string Secret = "s3cret-from-the-incode-dashboard";
    private static readonly string Finished = IncodePayloads.Read("webhook.onboarding-status");

    public sealed class SecretApp() : IncodeApp(new Dictionary<string, string?>
    {
        ["WEBHOOK_SECRET"] = Secret,
        ["WEBHOOK_SECRET_HEADER"] = "X-Incode-Webhook-Key",
    });

    /// <summary>A finished onboarding of its own: the server approves an interview once.</summary>
    private static string FinishedAnew() => $$"""{"interviewId":"secret-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}""";

    private static HttpRequestMessage Delivery(string route, string? secret, string body)
    {
        var request = Requests.PostJson(route, body);
        if (secret is not null) request.Headers.TryAddWithoutValidation("X-Incode-Webhook-Key", secret);
        return request;
    }

    [Theory]
    [InlineData("/webhook", null)]
    [InlineData("/webhook", "")]
    [InlineData("/webhook", "s3cret-from-the-incode-dashboarD")]
    [InlineData("/approve", null)]
    [InlineData("/approve", "s3cret-from-the-incode-dashboard ")]
    [InlineData("/approve", "s3cret")]
    public async Task Refuses_a_delivery_without_the_exact_secret_and_calls_no_one(string route, string? secret)
    {
        Incode.AnswerAll();

        var response = await Client.SendAsync(Delivery(route, secret, Finished));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Missing or wrong webhook secret");
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Checks_the_secret_before_reading_the_body()
    {
        var response = await Client.SendAsync(Delivery("/approve", null, "not json at all"));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Missing or wrong webhook secret");
    }

    [Theory]
    [InlineData("/webhook")]
    [InlineData("/approve")]
    public async Task Serves_a_delivery_with_the_secret(string route)
    {
        Incode.AnswerAll();

        var body = await (await Client.SendAsync(Delivery(route, Secret, FinishedAnew()))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
    }

    [Fact]
    public async Task Leaves_the_other_routes_alone()
    {
        Incode.AnswerAll();
        _ = Client; // started: its start-up lines are not this route's
        App.Logs.Clear();

        await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        // Not even looked at: nothing about webhook credentials is logged for a route that takes none.
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains("webhook", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>WEBHOOK_SECRET beside an OAuth client: either credential serves.</summary>
public sealed class WebhookSecretOrOAuthTests(WebhookSecretOrOAuthTests.SecretAndOAuthApp app) : AppTests<WebhookSecretOrOAuthTests.SecretAndOAuthApp>(app)
{
    private const string Secret = "s3cret-from-the-incode-dashboard";

    public sealed class SecretAndOAuthApp() : IncodeApp(new Dictionary<string, string?>(WebhookOAuth.Settings()) { ["WEBHOOK_SECRET"] = Secret });

    [Theory]
    [InlineData("/webhook")]
    [InlineData("/approve")]
    public async Task With_OAuth_too_takes_either_the_secret_or_a_token(string route)
    {
        Incode.AnswerAll();
        var token = await Client.TokenAsync();
        string Delivery() => $$"""{"interviewId":"either-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}""";

        var withSecret = Requests.PostJson(route, Delivery());
        withSecret.Headers.TryAddWithoutValidation("X-Webhook-Secret", Secret);
        var withWrongTokenButSecret = WebhookOAuth.Delivery(route, token + "x", Delivery());
        withWrongTokenButSecret.Headers.TryAddWithoutValidation("X-Webhook-Secret", Secret);
        await (await Client.SendAsync(withSecret)).JsonAsync(HttpStatusCode.OK);
        await (await Client.SendAsync(WebhookOAuth.Delivery(route, token, Delivery()))).JsonAsync(HttpStatusCode.OK);
        await (await Client.SendAsync(withWrongTokenButSecret)).JsonAsync(HttpStatusCode.OK);
        var calls = Incode.Calls.Count;

        var neither = await Client.SendAsync(WebhookOAuth.Delivery(route, null, Delivery()));

        await neither.AssertErrorAsync(HttpStatusCode.Unauthorized, "Missing or wrong webhook secret or bearer token");
        Assert.Equal(calls, Incode.Calls.Count);
    }
}
