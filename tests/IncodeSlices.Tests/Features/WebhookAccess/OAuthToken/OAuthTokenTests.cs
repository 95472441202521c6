using System.Net;
using System.Text;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.WebhookAccess.OAuthToken;

public sealed class OAuthTokenTests(OAuthIncodeApp app) : AppTests<OAuthIncodeApp>(app)
{
    private static int _addresses;

    /// <summary>A caller of a test's own: wrong credentials count against the address they come from.</summary>
    private HttpClient Caller() => App.ClientFrom($"198.51.100.{Interlocked.Increment(ref _addresses)}");

    private static HttpRequestMessage Form(string body, string? contentType = "application/x-www-form-urlencoded", bool basic = true)
    {
        var request = Requests.PostText("/oauth/token", body, contentType);
        if (basic) request.Headers.Authorization = WebhookOAuth.Basic(WebhookOAuth.ClientId, WebhookOAuth.ClientSecret);
        return request;
    }

    [Fact]
    public async Task Issues_a_bearer_token_for_Basic_credentials_as_Incode_sends_them()
    {
        var response = await Caller().SendAsync(WebhookOAuth.TokenRequest());

        var body = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["access_token", "token_type", "expires_in"], body.Select(p => p.Key));
        Assert.Equal(3, body["access_token"]!.GetValue<string>().Split('.').Length); // a JWT
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(3600, body["expires_in"]!.GetValue<int>()); // WEBHOOK_OAUTH_TOKEN_MINUTES defaults to 60
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Issues_a_token_for_credentials_in_the_form()
    {
        var body = $"grant_type=client_credentials&client_id={WebhookOAuth.ClientId}&client_secret={WebhookOAuth.ClientSecret}";

        var answer = await (await Caller().SendAsync(Form(body, basic: false))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Bearer", answer["token_type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(WebhookOAuth.ClientId, "wrong-secret")]
    [InlineData(WebhookOAuth.ClientId, WebhookOAuth.ClientSecret + "x")]
    [InlineData(WebhookOAuth.ClientId, "")]
    [InlineData("someone-else", WebhookOAuth.ClientSecret)]
    [InlineData("", WebhookOAuth.ClientSecret)]
    public async Task Refuses_a_wrong_secret_or_an_unknown_client_with_401_invalid_client(string clientId, string clientSecret)
    {
        var response = await Caller().SendAsync(WebhookOAuth.TokenRequest(clientId, clientSecret));

        await response.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic")]
    [InlineData("Basic not-base-64!")]
    [InlineData("Basic aW5jb2RlLXdlYmhvb2tz")] // base64 of the id alone, no colon
    [InlineData("Basic /w==")] // not UTF-8
    [InlineData("Bearer some-token")]
    public async Task Refuses_missing_or_unreadable_credentials_with_401_invalid_client(string? authorization)
    {
        var request = Form("grant_type=client_credentials", basic: false);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await Caller().SendAsync(request);

        await response.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("authorization_code")]
    [InlineData("CLIENT_CREDENTIALS")]
    public async Task Refuses_another_grant_type_with_400_unsupported_grant_type(string grantType)
    {
        var response = await Caller().SendAsync(WebhookOAuth.TokenRequest(grantType: grantType));

        await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Theory]
    [InlineData("", "application/x-www-form-urlencoded")]
    [InlineData("grant_type=", "application/x-www-form-urlencoded")]
    [InlineData("grant_type=client_credentials&grant_type=client_credentials", "application/x-www-form-urlencoded")]
    [InlineData("""{"grant_type":"client_credentials"}""", "application/json")]
    [InlineData("grant_type=client_credentials", "application/json")]
    [InlineData("grant_type=client_credentials", "text/plain")]
    [InlineData("grant_type=client_credentials", null)]
    [InlineData("--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--\r\n", "multipart/form-data; boundary=x")]
    public async Task Refuses_a_body_that_is_not_a_form_or_names_no_grant_type_with_400_invalid_request(string body, string? contentType)
    {
        var response = await Caller().SendAsync(Form(body, contentType));

        await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refuses_a_body_over_64_KB_with_413(bool chunked)
    {
        var body = Encoding.UTF8.GetBytes("grant_type=client_credentials&pad=" + new string('p', 65 * 1024));
        var basic = WebhookOAuth.Basic(WebhookOAuth.ClientId, WebhookOAuth.ClientSecret).ToString();

        var response = await App.Server.SendInMemoryAsync(new RawRequest("oversized", "POST", "/oauth/token", body,
            [new("Content-Type", "application/x-www-form-urlencoded"), new("Authorization", basic)], chunked));

        Assert.Equal(413, response.Status);
        Assert.Equal("""{"success":false,"error":"Request body is larger than 64 KB"}""", response.Body);
    }

    [Fact]
    public async Task Answers_odd_forms_without_a_5xx()
    {
        var basic = WebhookOAuth.Basic(WebhookOAuth.ClientId, WebhookOAuth.ClientSecret).ToString();
        string[] bodies =
        [
            "grant_type=client_credentials&%zz=%", "grant_type=client%5", "grant_type=client_credentials\0", "&&&===&&&", "=",
            string.Join("&", Enumerable.Range(0, 5000).Select(i => $"k{i}=v")), "grant_type=" + new string('g', 60 * 1024),
            new string('k', 60 * 1024) + "=v", "grant_type=%C0%AF%ED%A0%80", "grant_type=client_credentials;client_id=x",
        ];
        foreach (var body in bodies)
        {
            var response = await App.Server.SendInMemoryAsync(new RawRequest("odd form", "POST", "/oauth/token", Encoding.UTF8.GetBytes(body),
                [new("Content-Type", "application/x-www-form-urlencoded"), new("Authorization", basic)]));

            Assert.True(response.Status is 200 or 400, $"{response.Status} for {body[..Math.Min(body.Length, 40)]}: {response.Body}");
            Assert.StartsWith("application/json", response.ContentType);
        }
    }

    [Fact]
    public async Task Holds_an_address_back_after_ten_wrong_secrets_even_with_the_right_one()
    {
        using var guesser = App.ClientFrom("203.0.113.50");
        for (var i = 0; i < 10; i++)
            await (await guesser.SendAsync(WebhookOAuth.TokenRequest(clientSecret: $"guess-{i}"))).AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");

        var refused = await guesser.SendAsync(WebhookOAuth.TokenRequest());

        var body = await refused.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("temporarily_unavailable", body["error"]!.GetValue<string>());
        Assert.StartsWith("Too many failed token requests from this address", body["error_description"]!.GetValue<string>());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        await (await Caller().SendAsync(WebhookOAuth.TokenRequest())).JsonAsync(HttpStatusCode.OK); // another address is not held back
    }

    [Fact]
    public async Task Takes_Basic_credentials_form_encoded_as_RFC_6749_has_them_or_raw()
    {
        const string secret = "p@ss+word/with:colon%-0001";
        using var api = IncodeApp.With(new Dictionary<string, string?>
        {
            ["WEBHOOK_OAUTH_CLIENT_ID"] = "id with space",
            ["WEBHOOK_OAUTH_CLIENT_SECRET"] = secret,
        });

        await (await api.Client.SendAsync(WebhookOAuth.TokenRequest("id+with+space", Uri.EscapeDataString(secret)))).JsonAsync(HttpStatusCode.OK);
        await (await api.Client.SendAsync(WebhookOAuth.TokenRequest("id with space", secret))).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_configured_client_refuses_every_request_as_invalid_client()
    {
        using var api = IncodeApp.With(new Dictionary<string, string?>());

        await (await api.Client.SendAsync(WebhookOAuth.TokenRequest())).AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }
}
