using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.WebhookAccess;

/// <summary>WEBHOOK_ALLOWED_IPS: Incode's addresses reach /webhook, /approve and /oauth/token; nobody else does.</summary>
public sealed class WebhookSourcesTests(WebhookSourcesTests.SourcesApp app) : AppTests<WebhookSourcesTests.SourcesApp>(app)
{
    private const string Incoder = "198.51.100.7";
    private const string IncoderInRange = "203.0.113.9";
    private const string Stranger = "192.0.2.66";
    private const string Proxy = "10.0.0.1";

    public sealed class SourcesApp() : IncodeApp(Settings());

    private static Dictionary<string, string?> Settings()
    {
        var settings = WebhookOAuth.Settings();
        settings["WEBHOOK_ALLOWED_IPS"] = $"{Incoder}, 203.0.113.0/28";
        settings["TRUSTED_PROXIES"] = Proxy;
        return settings;
    }

    public static TheoryData<string> Routes => ["/webhook", "/approve", "/oauth/token"];

    private static string Finished() => $$"""{"interviewId":"source-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}""";

    /// <summary>What a route would serve from an allowed address: a token request, or a delivery with a valid token.</summary>
    private async Task<HttpRequestMessage> GoodRequestAsync(string route, string? forwardedFor = null)
    {
        using var incode = App.ClientFrom(Incoder);
        var request = route == "/oauth/token" ? WebhookOAuth.TokenRequest() : WebhookOAuth.Delivery(route, await incode.TokenAsync(), Finished());
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Answers_403_to_an_address_outside_the_list_before_looking_at_credentials(string route)
    {
        Incode.AnswerAll();
        using var stranger = App.ClientFrom(Stranger);

        var withCredentials = await stranger.SendAsync(await GoodRequestAsync(route));
        var without = await stranger.SendAsync(Requests.PostJson(route, Finished()));

        await withCredentials.AssertErrorAsync(HttpStatusCode.Forbidden, "Forbidden");
        await without.AssertErrorAsync(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Empty(Incode.Calls);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Ignores_a_spoofed_X_Forwarded_For_from_an_untrusted_peer(string route)
    {
        Incode.AnswerAll();
        using var stranger = App.ClientFrom(Stranger);

        var response = await stranger.SendAsync(await GoodRequestAsync(route, forwardedFor: Incoder));

        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "Forbidden");
        Assert.Empty(Incode.Calls);
    }

    [Theory]
    [InlineData("/webhook", Incoder)]
    [InlineData("/approve", IncoderInRange)]
    [InlineData("/oauth/token", IncoderInRange)]
    [InlineData("/approve", "::ffff:" + Incoder)] // IPv4 on a dual-stack socket
    public async Task Serves_an_address_in_the_list_or_its_ranges(string route, string address)
    {
        Incode.AnswerAll();
        using var incode = App.ClientFrom(address);

        await (await incode.SendAsync(await GoodRequestAsync(route))).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Incoder, HttpStatusCode.OK)]
    [InlineData(Stranger, HttpStatusCode.Forbidden)]
    public async Task Judges_the_client_a_trusted_proxy_forwarded_for(string client, HttpStatusCode expected)
    {
        Incode.AnswerAll();
        using var proxy = App.ClientFrom(Proxy);

        var response = await proxy.SendAsync(await GoodRequestAsync("/approve", forwardedFor: client));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Leaves_the_other_routes_alone()
    {
        Incode.AnswerAll();
        using var stranger = App.ClientFrom(Stranger);

        await (await stranger.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(Incode.CallsTo(IncodePaths.Start));
    }
}
