using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace IncodeSlices.Tests.Support;

/// <summary>The OAuth client Incode is given for its webhooks, and the requests it makes with it.</summary>
public static class WebhookOAuth
{
    public const string ClientId = "incode-webhooks";
    public const string ClientSecret = "client-secret-from-the-dashboard-0001";
    public const string SigningKey = "signing-key-of-the-test-deployment-0001";

    /// <summary>OAuth on, the signing key derived from the client secret.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["WEBHOOK_OAUTH_CLIENT_ID"] = ClientId,
        ["WEBHOOK_OAUTH_CLIENT_SECRET"] = ClientSecret,
    };

    /// <summary>OAuth on, with WEBHOOK_OAUTH_SIGNING_KEY: a test can sign tokens of its own.</summary>
    public static Dictionary<string, string?> SettingsWithSigningKey()
    {
        var settings = Settings();
        settings["WEBHOOK_OAUTH_SIGNING_KEY"] = SigningKey;
        return settings;
    }

    /// <summary>As Incode asks: Basic credentials, and <c>grant_type=client_credentials</c> as a form.</summary>
    public static HttpRequestMessage TokenRequest(string clientId = ClientId, string clientSecret = ClientSecret, string grantType = "client_credentials")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", grantType)]),
        };
        request.Headers.Authorization = Basic(clientId, clientSecret);
        return request;
    }

    public static AuthenticationHeaderValue Basic(string clientId, string clientSecret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));

    public static async Task<string> TokenAsync(this HttpClient client)
    {
        var answer = await (await client.SendAsync(TokenRequest())).JsonAsync(HttpStatusCode.OK);
        return answer["access_token"]!.GetValue<string>();
    }

    /// <summary>A webhook delivery carrying <c>Authorization: Bearer</c> (none when <paramref name="token"/> is null).</summary>
    public static HttpRequestMessage Delivery(string route, string? token, string body)
    {
        var request = Requests.PostJson(route, body);
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return request;
    }

    /// <summary>The refusal of an OAuth error: exactly <c>{"error":"…"}</c>.</summary>
    public static async Task AssertOAuthErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.JsonAsync(status);
        Assert.Equal(new JsonObject { ["error"] = error }.ToJsonString(), body.ToJsonString());
    }
}

public static class ClientAddresses
{
    /// <summary>A client of <paramref name="app"/> whose requests arrive from <paramref name="address"/>, as a socket's peer would.</summary>
    public static HttpClient ClientFrom(this TestApp app, string address) =>
        new(app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address)))
        {
            BaseAddress = app.Server.BaseAddress,
        };
}

/// <summary>A server with webhook OAuth on (key derived from the client secret), shared by a test class.</summary>
public sealed class OAuthIncodeApp() : IncodeApp(WebhookOAuth.Settings());

/// <summary>The same with WEBHOOK_OAUTH_SIGNING_KEY, so that tests can sign tokens with the server's key.</summary>
public sealed class SigningKeyIncodeApp() : IncodeApp(WebhookOAuth.SettingsWithSigningKey());
