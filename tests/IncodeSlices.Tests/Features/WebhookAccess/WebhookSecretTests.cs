using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.WebhookAccess;

public sealed class WebhookSecretTests : IDisposable
{
    private const string Secret = "s3cret-from-the-incode-dashboard";
    private static readonly string Finished = IncodePayloads.Read("webhook.onboarding-status");
    private readonly IncodeStub _incode = new();
    private readonly TestApp _api;
    private readonly HttpClient _client;

    public WebhookSecretTests()
    {
        _api = TestApp.WithStub(_incode, new Dictionary<string, string?>
        {
            ["WEBHOOK_SECRET"] = Secret,
            ["WEBHOOK_SECRET_HEADER"] = "X-Incode-Webhook-Key",
        });
        _client = _api.CreateClient();
        _incode.AnswerAll();
    }

    private HttpRequestMessage Delivery(string route, string? secret, string body)
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
        var response = await _client.SendAsync(Delivery(route, secret, Finished));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Missing or wrong webhook secret");
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Checks_the_secret_before_reading_the_body()
    {
        var response = await _client.SendAsync(Delivery("/approve", null, "not json at all"));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Missing or wrong webhook secret");
    }

    [Theory]
    [InlineData("/webhook")]
    [InlineData("/approve")]
    public async Task Serves_a_delivery_with_the_secret(string route)
    {
        var body = await (await _client.SendAsync(Delivery(route, Secret, Finished))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Single(_incode.CallsTo(IncodePaths.Score));
    }

    [Fact]
    public async Task Leaves_the_other_routes_alone()
    {
        _api.Logs.Clear();

        await (await _client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        // Not even looked at: nothing about webhook credentials is logged for a route that takes none.
        Assert.DoesNotContain(_api.Logs.Lines, line => line.Contains("webhook", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/webhook")]
    [InlineData("/approve")]
    public async Task With_OAuth_too_takes_either_the_secret_or_a_token(string route)
    {
        var settings = WebhookOAuth.Settings();
        settings["WEBHOOK_SECRET"] = Secret;
        using var api = IncodeApp.With(settings);
        api.Incode.AnswerAll();
        var token = await api.Client.TokenAsync();
        string Delivery() => $$"""{"interviewId":"either-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}""";

        var withSecret = Requests.PostJson(route, Delivery());
        withSecret.Headers.TryAddWithoutValidation("X-Webhook-Secret", Secret);
        var withWrongTokenButSecret = WebhookOAuth.Delivery(route, token + "x", Delivery());
        withWrongTokenButSecret.Headers.TryAddWithoutValidation("X-Webhook-Secret", Secret);
        await (await api.Client.SendAsync(withSecret)).JsonAsync(HttpStatusCode.OK);
        await (await api.Client.SendAsync(WebhookOAuth.Delivery(route, token, Delivery()))).JsonAsync(HttpStatusCode.OK);
        await (await api.Client.SendAsync(withWrongTokenButSecret)).JsonAsync(HttpStatusCode.OK);
        var calls = api.Incode.Calls.Count;

        var neither = await api.Client.SendAsync(WebhookOAuth.Delivery(route, null, Delivery()));

        await neither.AssertErrorAsync(HttpStatusCode.Unauthorized, "Missing or wrong webhook secret or bearer token");
        Assert.Equal(calls, api.Incode.Calls.Count);
    }

    public void Dispose()
    {
        _client.Dispose();
        _api.Dispose();
        _incode.Dispose();
    }
}
