using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncodeSlices.Features.WebhookAccess;

/// <summary>
/// The bearer tokens of Incode's webhook deliveries: short-lived JWTs, HMAC-signed, that any instance
/// sharing the configuration verifies with nothing stored. The signing key is WEBHOOK_OAUTH_SIGNING_KEY,
/// or HKDF of the client secret under a label of its own, so that the secret itself never signs.
/// </summary>
public sealed class WebhookTokens
{
    public const string Issuer = "incodeslices";
    public const string Audience = "incodeslices-webhooks";

    /// <summary>Tolerated difference between instances' clocks: a token outlives its exp by no more.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly byte[] KeyLabel = "IncodeSlices webhook token signing key"u8.ToArray();

    private readonly WebhookOAuthOptions _options;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };
    private readonly SigningCredentials? _signing;
    private readonly TokenValidationParameters? _validation;

    public WebhookTokens(IOptions<WebhookOAuthOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        if (!_options.IsSet) return;

        var key = new SymmetricSecurityKey(SigningKey(_options));
        _signing = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        _validation = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256], // never "none", never another key type
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // The library's own check reads the system clock; this one reads the server's TimeProvider.
            LifetimeValidator = (notBefore, expires, _, _) => IsCurrent(notBefore, expires, _clock.GetUtcNow().UtcDateTime),
        };
    }

    /// <summary>Whether WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET are set.</summary>
    public bool IsOn => _validation is not null;

    public TimeSpan Lifetime => TimeSpan.FromMinutes(_options.TokenMinutes);

    /// <summary>
    /// The configured client, compared in constant time, both values always (which one was wrong does
    /// not show either). RFC 6749 wants Basic credentials form-encoded before base64, and some clients
    /// skip that: a secret matches as sent or as decoded.
    /// </summary>
    public bool IsClient(string? clientId, string? clientSecret)
    {
        if (!IsOn || clientId is null || clientSecret is null) return false;
        return Matches(clientId, _options.ClientId!) & Matches(clientSecret, _options.ClientSecret!);

        static bool Matches(string sent, string expected) =>
            WebhookSecrets.Same(sent, expected) || (sent.AsSpan().ContainsAny('%', '+') && WebhookSecrets.Same(FormDecoded(sent), expected));
    }

    public string Issue()
    {
        if (!IsOn) throw new InvalidOperationException("Webhook OAuth is not configured");
        var now = _clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = _options.ClientId! },
            SigningCredentials = _signing,
        });
    }

    /// <summary>Signed with this key by this issuer for these webhooks, and not expired; nothing else passes.</summary>
    public async Task<bool> IsValidAsync(string token)
    {
        if (!IsOn) return false;
        var result = await _handler.ValidateTokenAsync(token, _validation);
        return result.IsValid;
    }

    private static bool IsCurrent(DateTime? notBefore, DateTime? expires, DateTime now) =>
        expires is { } end && now <= end + ClockSkew && (notBefore is not { } start || now + ClockSkew >= start);

    private static byte[] SigningKey(WebhookOAuthOptions options) =>
        string.IsNullOrEmpty(options.SigningKey)
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.ClientSecret!), 32, salt: null, info: KeyLabel)
            : Encoding.UTF8.GetBytes(options.SigningKey);

    /// <summary>application/x-www-form-urlencoded decoding: '+' is a space, then percent-escapes.</summary>
    private static string FormDecoded(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
