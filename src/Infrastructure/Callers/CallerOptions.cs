using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.Callers;

/// <summary>
/// Caller authentication (docs/ownership.md): the app's users, signed in with its OpenID Connect
/// provider, own the sessions they start. Off unless CALLER_JWT_AUTHORITY is set.
/// </summary>
public sealed class CallerOptions
{
    public const string Hmac = "hmac";
    public const string Raw = "raw";
    public const string None = "none";

    /// <summary>The app's OpenID Connect issuer; its signing keys are found through its discovery document.</summary>
    [ConfigurationKeyName("CALLER_JWT_AUTHORITY")] public string? Authority { get; set; }

    /// <summary>The audience every access token must carry.</summary>
    [ConfigurationKeyName("CALLER_JWT_AUDIENCE")] public string? Audience { get; set; }

    /// <summary><c>false</c> allows an <c>http://</c> authority (development and tests only).</summary>
    [ConfigurationKeyName("CALLER_JWT_REQUIRE_HTTPS")] public bool RequireHttps { get; set; } = true;

    /// <summary>The claim that names the user.</summary>
    [ConfigurationKeyName("CALLER_USER_CLAIM")] public string UserClaim { get; set; } = "sub";

    /// <summary>A token with this scope reads every session: the back office.</summary>
    [ConfigurationKeyName("CALLER_ADMIN_SCOPE")] public string AdminScope { get; set; } = "incode.admin";

    /// <summary><c>hmac</c>, <c>raw</c> or <c>none</c>: what Incode is told of the user as <c>externalCustomerId</c>.</summary>
    [ConfigurationKeyName("CALLER_EXTERNAL_ID")] public string ExternalId { get; set; } = Hmac;

    /// <summary>The key of the HMAC that turns a user into an <c>externalCustomerId</c>.</summary>
    [ConfigurationKeyName("CALLER_EXTERNAL_ID_KEY")] public string? ExternalIdKey { get; set; }

    /// <summary>Billable sessions one user may create an hour; 0 turns this budget off.</summary>
    [ConfigurationKeyName("USER_SESSIONS_PER_HOUR")] public int UserSessionsPerHour { get; set; } = 20;

    public bool IsOn => !string.IsNullOrWhiteSpace(Authority);

    internal const int MinExternalIdKeyLength = 32;
}
