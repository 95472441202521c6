using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IncodeSlices.Features.WebhookAccess;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncodeSlices.Tests.Features.WebhookAccess;

/// <summary>/webhook and /approve with WEBHOOK_OAUTH_* set: a token from /oauth/token, and nothing else, lets a delivery in.</summary>
public sealed class WebhookBearerTests(SigningKeyIncodeApp app) : AppTests<SigningKeyIncodeApp>(app)
{
    private const string Refusal = "Missing or invalid bearer token";

    public static TheoryData<string> Routes => ["/webhook", "/approve"];

    public static TheoryData<string, string> ForgeriesOnEachRoute()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in (string[])["/webhook", "/approve"])
            foreach (var forgery in Forgeries.Keys)
                data.Add(route, forgery);
        return data;
    }

    /// <summary>A delivery that, let in, calls Incode: a finished onboarding, of an interview of its own.</summary>
    private static string Finished() => $$"""{"interviewId":"bearer-{{Guid.NewGuid():N}}","onboardingStatus":"ONBOARDING_FINISHED"}""";

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Serves_a_delivery_with_a_token_from_the_token_endpoint(string route)
    {
        Incode.AnswerAll();
        var token = await Client.TokenAsync();

        var body = await (await Client.SendAsync(WebhookOAuth.Delivery(route, token, Finished()))).JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
    }

    [Fact]
    public async Task Takes_a_token_this_test_signs_as_the_server_does()
    {
        // The forgeries below are this token with one flaw each: it must pass for their refusal to mean anything.
        await (await Client.SendAsync(WebhookOAuth.Delivery("/webhook", Sign(), IncodePayloads.Read("webhook.onboarding-status")))).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(ForgeriesOnEachRoute))]
    public async Task Refuses_a_forged_token_and_calls_no_one(string route, string forgery)
    {
        Incode.AnswerAll();
        var token = Forgeries[forgery](this);

        var response = await Client.SendAsync(WebhookOAuth.Delivery(route, token, Finished()));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, Refusal);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(Incode.Calls);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Refuses_a_token_once_it_has_expired(string route)
    {
        Incode.AnswerAll();
        var token = await Client.TokenAsync();

        App.Clock.Advance(TimeSpan.FromMinutes(59));
        await (await Client.SendAsync(WebhookOAuth.Delivery(route, token, Finished()))).JsonAsync(HttpStatusCode.OK);
        App.Clock.Advance(TimeSpan.FromMinutes(1) + WebhookTokens.ClockSkew + TimeSpan.FromSeconds(1));
        var late = await Client.SendAsync(WebhookOAuth.Delivery(route, token, Finished()));

        await late.AssertErrorAsync(HttpStatusCode.Unauthorized, Refusal);
        Assert.Single(Incode.CallsTo(IncodePaths.Score)); // the first delivery's
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Basic aW5jb2RlLXdlYmhvb2tzOmNsaWVudC1zZWNyZXQtZnJvbS10aGUtZGFzaGJvYXJkLTAwMDE=")] // the client's own credentials
    public async Task Refuses_a_delivery_without_a_bearer_token(string? authorization)
    {
        var request = Requests.PostJson("/approve", Finished());
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await Client.SendAsync(request);

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, Refusal);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Checks_the_token_before_reading_the_body()
    {
        var response = await Client.SendAsync(WebhookOAuth.Delivery("/webhook", "not-a-token", "not json at all"));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, Refusal);
    }

    [Fact]
    public async Task Leaves_the_other_routes_alone()
    {
        Incode.AnswerAll();
        var request = new HttpRequestMessage(HttpMethod.Get, "/start");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer not-a-token");

        await (await Client.SendAsync(request)).JsonAsync(HttpStatusCode.OK);

        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains("webhook", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_token_from_one_instance_is_taken_by_another_sharing_the_configuration()
    {
        using var first = IncodeApp.With(WebhookOAuth.Settings()); // the signing key derived from the client secret
        using var second = first.Twin();
        first.Incode.AnswerAll();

        var token = await first.Client.TokenAsync();

        await (await second.Client.SendAsync(WebhookOAuth.Delivery("/approve", token, Finished()))).JsonAsync(HttpStatusCode.OK);
        await (await first.Client.SendAsync(WebhookOAuth.Delivery("/webhook", token, Finished()))).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Tokens no one may get in with; each is one flaw away from a good one, or none.</summary>
    private static readonly Dictionary<string, Func<WebhookBearerTests, string>> Forgeries = new()
    {
        ["signed with another key"] = t => t.Sign(key: "another-key-of-at-least-thirty-two-bytes"),
        ["signed with the client secret itself"] = t => t.Sign(key: WebhookOAuth.ClientSecret + "-padded-to-32-bytes"),
        ["alg none"] = t => Unsigned(t.Sign()),
        ["for another audience"] = t => t.Sign(audience: "someone-else"),
        ["from another issuer"] = t => t.Sign(issuer: "someone-else"),
        ["expired a minute ago"] = t => t.Sign(expires: t.Now - TimeSpan.FromMinutes(1) - WebhookTokens.ClockSkew),
        ["without an expiry"] = t => t.Sign(expiring: false),
        ["signed with HS512"] = t => t.Sign(algorithm: SecurityAlgorithms.HmacSha512, key: WebhookOAuth.SigningKey + WebhookOAuth.SigningKey),
        ["with a tampered payload"] = t => Tampered(t.Sign()),
        ["not a JWT"] = _ => "definitely-not-a-jwt",
    };

    private DateTime Now => App.Clock.GetUtcNow().UtcDateTime;

    private string Sign(string key = WebhookOAuth.SigningKey, string issuer = WebhookTokens.Issuer, string audience = WebhookTokens.Audience,
        DateTime? expires = null, string algorithm = SecurityAlgorithms.HmacSha256, bool expiring = true)
    {
        var now = Now;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires is { } past && past < now ? past - TimeSpan.FromHours(1) : now,
            Expires = expiring ? expires ?? now + TimeSpan.FromMinutes(10) : null,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = WebhookOAuth.ClientId },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), algorithm),
        });
    }

    /// <summary>A good token's payload under a header saying <c>alg: none</c>, and no signature.</summary>
    private static string Unsigned(string token) =>
        $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{token.Split('.')[1]}.";

    /// <summary>A good token whose payload names another client and lives a day longer, its signature kept.</summary>
    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["sub"] = "someone-else";
        payload["exp"] = payload["exp"]!.GetValue<long>() + 86_400;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }
}
