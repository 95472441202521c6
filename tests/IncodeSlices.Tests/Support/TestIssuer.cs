using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// A real OpenID Connect issuer for the caller-authentication tests: OpenIddict's server on a port of
/// this machine, with its discovery document and JWKS, issuing access tokens (client credentials,
/// the user named in a <c>user</c> parameter) for <see cref="Audience"/>. The test holds the signing
/// key too, to mint tokens the issuer would never issue (expired, another issuer's) with a key the
/// server trusts. <see cref="RotateAsync"/> restarts it on the same address with a new key.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "incodeslices-api";
    public const string AdminScope = "incode.admin";
    private const string ClientId = "frontend-tests";
    private const string ClientSecret = "frontend-tests-secret";

    private readonly int _port;
    private WebApplication? _app;
    private readonly HttpClient _http = new();

    private TestIssuer(int port, RsaSecurityKey key)
    {
        _port = port;
        Key = key;
    }

    /// <summary>The issuer's address, as its tokens name it (CALLER_JWT_AUTHORITY).</summary>
    public string Url => $"http://127.0.0.1:{_port}/";

    /// <summary>The key it signs with now (the test holds its private half).</summary>
    public RsaSecurityKey Key { get; private set; }

    /// <summary>Token requests it has answered.</summary>
    public int TokensIssued => _issued;

    private int _issued;

    /// <summary>The settings of a server that takes this issuer's tokens.</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CALLER_JWT_AUTHORITY"] = Url,
            ["CALLER_JWT_AUDIENCE"] = Audience,
            ["CALLER_JWT_REQUIRE_HTTPS"] = "false",
            ["CALLER_EXTERNAL_ID_KEY"] = ExternalIdKey,
        };
        foreach (var (k, v) in more ?? new Dictionary<string, string?>()) settings[k] = v;
        return settings;
    }

    public const string ExternalIdKey = "external-id-key-for-tests-0123456789abcdef";

    /// <summary>An issuer on a free port of its own, not started yet when <paramref name="start"/> is false (an issuer that is down).</summary>
    public static async Task<TestIssuer> CreateAsync(bool start = true)
    {
        var issuer = new TestIssuer(FreePorts.Next(), NewKey());
        if (start) await issuer.StartAsync();
        return issuer;
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public async Task StartAsync()
    {
        if (_app is not null) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{_port}");
        builder.Logging.ClearProviders();
        var key = Key;
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetIssuer(new Uri(Url));
            options.SetTokenEndpointUris("connect/token");
            options.AllowClientCredentialsFlow();
            options.RegisterScopes(AdminScope, "profile");
            options.EnableDegradedMode(); // no store: the handlers below are the whole client registry
            options.AddSigningKey(key);
            options.AddEphemeralEncryptionKey();
            options.DisableAccessTokenEncryption(); // a JWT any resource server can read, as Entra ID, Auth0 and Keycloak issue
            options.UseAspNetCore().DisableTransportSecurityRequirement();

            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                    context.Reject(Errors.InvalidClient, "Unknown client");
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.HandleTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var identity = new ClaimsIdentity("TestIssuer", Claims.Name, Claims.Role);
                identity.SetClaim(Claims.Subject, (string?)context.Request["user"] ?? "nobody");
                identity.SetScopes(context.Request.GetScopes());
                identity.SetResources((string?)context.Request["for_api"] ?? Audience);
                identity.SetDestinations(_ => [Destinations.AccessToken]);
                Interlocked.Increment(ref _issued);
                context.SignIn(new ClaimsPrincipal(identity));
                return default;
            }));
        });
        _app = builder.Build();
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>The issuer starts signing with a new key (and publishes only that one), on the same address.</summary>
    public async Task RotateAsync()
    {
        await StopAsync();
        Key = NewKey();
        await StartAsync();
    }

    /// <summary>An access token for <paramref name="user"/> from the issuer's token endpoint, as a frontend's login would get one.</summary>
    public async Task<string> TokenAsync(string user, string? scope = null, string? audience = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["user"] = user,
        };
        if (scope is not null) form["scope"] = scope;
        if (audience is not null) form["for_api"] = audience; // OpenIddict keeps "audience" for token exchange
        using var response = await _http.PostAsync(new Uri(new Uri(Url), "connect/token"), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body?["access_token"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"The issuer refused a token: {(int)response.StatusCode} {body?.ToJsonString()}");
    }

    /// <summary>A token signed with <paramref name="key"/> (the issuer's own by default) and these claims over a good token's.</summary>
    public string Mint(RsaSecurityKey? key = null, string? issuer = null, string? audience = null, DateTime? expires = null, string user = "alice")
    {
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Url,
            Audience = audience ?? Audience,
            IssuedAt = expiry.AddMinutes(-20) < now ? expiry.AddMinutes(-20) : now,
            NotBefore = expiry.AddMinutes(-20) < now ? expiry.AddMinutes(-20) : now,
            Expires = expiry,
            Claims = new Dictionary<string, object> { [Claims.Subject] = user },
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token with <c>alg: none</c> and no signature.</summary>
    public string Unsigned(string user = "alice")
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode($$"""{"iss":"{{Url}}","aud":"{{Audience}}","sub":"{{user}}","exp":{{exp}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>
    /// A token signed HS256 with the issuer's public key as the HMAC secret, naming the issuer's key id:
    /// the old confusion attack on servers that let the token pick its algorithm.
    /// </summary>
    public string SignedWithPublicKey(string user = "alice")
    {
        var publicKey = Key.Rsa.ExportSubjectPublicKeyInfo();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Url,
            Audience = Audience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { [Claims.Subject] = user },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(publicKey) { KeyId = Key.KeyId }, SecurityAlgorithms.HmacSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
    }
}
