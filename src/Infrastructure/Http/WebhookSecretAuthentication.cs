using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Http;

public sealed class WebhookSecretOptions
{
    /// <summary>The value Incode is configured to send with each webhook; unset leaves the webhooks open.</summary>
    [ConfigurationKeyName("WEBHOOK_SECRET")] public string? Secret { get; set; }

    [ConfigurationKeyName("WEBHOOK_SECRET_HEADER")] public string Header { get; set; } = "X-Webhook-Secret";

    public bool IsSet => !string.IsNullOrEmpty(Secret);
}

/// <summary>
/// Incode does not sign its webhooks, but it can send a static custom header. With WEBHOOK_SECRET set,
/// a webhook route answers only a caller that sends that header with exactly that value; anyone else
/// gets a 401 before the body is read, and no Incode call is made on their behalf.
/// </summary>
public sealed class WebhookSecretAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<WebhookSecretOptions> secret)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "IncodeWebhookSecret";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var webhook = secret.Value;
        if (!webhook.IsSet) return Task.FromResult(Success("open"));

        var sent = Request.Headers[webhook.Header];
        return Task.FromResult(sent.Count == 1 && SameSecret(sent[0], webhook.Secret!)
            ? Success("secret")
            : AuthenticateResult.Fail("Missing or wrong webhook secret"));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ErrorResults.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Missing or wrong webhook secret");

    /// <summary>
    /// Compares digests, in constant time: neither how much of the value matched nor its length
    /// shows in the time the comparison takes.
    /// </summary>
    private static bool SameSecret(string? sent, string expected) =>
        sent is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private AuthenticateResult Success(string how) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "incode-webhook"), new Claim("webhook", how)], SchemeName)),
            SchemeName));
}
