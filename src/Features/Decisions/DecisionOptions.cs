using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>Every setting of durable webhook processing (docs/decisions.md), read once, checked at start-up.</summary>
public sealed class DecisionOptions
{
    public const string Inline = "inline";
    public const string Durable = "durable";

    /// <summary><c>inline</c>: /webhook and /approve work before they answer (CONTRACT.md). <c>durable</c>: they record, answer, and work in the background.</summary>
    [ConfigurationKeyName("WEBHOOK_PROCESSING")] public string Processing { get; set; } = Inline;

    /// <summary>Where decisions are relayed; unset, none is.</summary>
    [ConfigurationKeyName("DECISIONS_URL")] public string? Url { get; set; }

    /// <summary>The HMAC key of the relay's signature.</summary>
    [ConfigurationKeyName("DECISIONS_SECRET")] public string? Secret { get; set; }

    /// <summary>The bearer key of GET /decisions; unset, the route does not exist.</summary>
    [ConfigurationKeyName("DECISIONS_API_KEY")] public string? ApiKey { get; set; }

    [ConfigurationKeyName("DECISION_RETRY_FIRST_SECONDS")] public double RetryFirstSeconds { get; set; } = 5;
    [ConfigurationKeyName("DECISION_RETRY_MAX_SECONDS")] public double RetryMaxSeconds { get; set; } = 600;
    [ConfigurationKeyName("DECISION_GIVE_UP_HOURS")] public double GiveUpHours { get; set; } = 72;
    [ConfigurationKeyName("DECISION_CLAIM_SECONDS")] public double ClaimSeconds { get; set; } = 60;
    [ConfigurationKeyName("RECONCILE_AFTER_SECONDS")] public double ReconcileAfterSeconds { get; set; } = 1800;
    [ConfigurationKeyName("RECONCILE_EVERY_SECONDS")] public double ReconcileEverySeconds { get; set; } = 300;

    /// <summary><c>score</c> (as /webhook) or <c>approve</c> (as /approve): what a reconciled finished onboarding does.</summary>
    [ConfigurationKeyName("RECONCILE_ACTION")] public string ReconcileAction { get; set; } = "score";

    [ConfigurationKeyName("DECISIONS_RETENTION_DAYS")] public double RetentionDays { get; set; } = 30;

    /// <summary><c>off</c>, <c>dry-run</c> (log what would be purged) or <c>on</c>: an interview's personal data deleted at Incode after its outcome.</summary>
    [ConfigurationKeyName("PURGE_PII")] public string PurgePii { get; set; } = PurgeOff;

    /// <summary>How long after an interview's latest decision its personal data is purged; 0: at once.</summary>
    [ConfigurationKeyName("PURGE_AFTER_HOURS")] public double PurgeAfterHours { get; set; } = 24;

    public const string PurgeOff = "off";
    public const string PurgeDryRun = "dry-run";
    public const string PurgeOn = "on";

    public bool IsDurable => string.Equals(Processing.Trim(), Durable, StringComparison.OrdinalIgnoreCase);
    public bool Relays => !string.IsNullOrWhiteSpace(Url);
    public bool HasFeed => !string.IsNullOrEmpty(ApiKey);
    public bool Purges => PurgesFor(PurgeOn) || PurgesFor(PurgeDryRun);
    public bool PurgesForReal => PurgesFor(PurgeOn);
    public bool ReconcileApproves => string.Equals(ReconcileAction.Trim(), "approve", StringComparison.OrdinalIgnoreCase);

    public TimeSpan RetryFirst => TimeSpan.FromSeconds(RetryFirstSeconds);
    public TimeSpan RetryMax => TimeSpan.FromSeconds(RetryMaxSeconds);
    public TimeSpan GiveUp => TimeSpan.FromHours(GiveUpHours);
    public TimeSpan Claim => TimeSpan.FromSeconds(ClaimSeconds);
    public TimeSpan ReconcileAfter => TimeSpan.FromSeconds(ReconcileAfterSeconds);
    public TimeSpan ReconcileEvery => TimeSpan.FromSeconds(ReconcileEverySeconds);
    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
    public TimeSpan PurgeAfter => TimeSpan.FromHours(PurgeAfterHours);

    private bool PurgesFor(string mode) => string.Equals(PurgePii.Trim(), mode, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// How long to wait before trying again, <paramref name="elapsed"/> after the work began: as long
    /// as it has already taken, from DECISION_RETRY_FIRST_SECONDS to _MAX_SECONDS. The waits double
    /// without an attempt count being kept, so they are the same after a restart or on another instance.
    /// </summary>
    public TimeSpan Backoff(TimeSpan elapsed) =>
        elapsed < RetryFirst ? RetryFirst : elapsed > RetryMax ? RetryMax : elapsed;

    internal const int MinSecretLength = 32;
    internal const int MinApiKeyLength = 16;
}

/// <summary>Names each setting that cannot work, never its value (a secret's would land in the start-up log).</summary>
internal sealed class DecisionOptionsValidator : IValidateOptions<DecisionOptions>
{
    public ValidateOptionsResult Validate(string? name, DecisionOptions o)
    {
        var problems = new List<string>();
        if (!o.IsDurable && !string.Equals(o.Processing.Trim(), DecisionOptions.Inline, StringComparison.OrdinalIgnoreCase))
            problems.Add("WEBHOOK_PROCESSING must be inline or durable.");
        if (o.Relays && !IsRelayUrl(o.Url!))
            problems.Add("DECISIONS_URL must be an https URL, or http to a loopback or private address.");
        if (o.Relays && string.IsNullOrEmpty(o.Secret))
            problems.Add("DECISIONS_SECRET is required with DECISIONS_URL.");
        else if (!string.IsNullOrEmpty(o.Secret) && o.Secret.Length < DecisionOptions.MinSecretLength)
            problems.Add($"DECISIONS_SECRET must be at least {DecisionOptions.MinSecretLength} characters.");
        if (o.HasFeed && o.ApiKey!.Length < DecisionOptions.MinApiKeyLength)
            problems.Add($"DECISIONS_API_KEY must be at least {DecisionOptions.MinApiKeyLength} characters.");
        if (!(o.RetryFirstSeconds > 0)) problems.Add("DECISION_RETRY_FIRST_SECONDS must be positive.");
        if (!(o.RetryMaxSeconds >= o.RetryFirstSeconds)) problems.Add("DECISION_RETRY_MAX_SECONDS must be at least DECISION_RETRY_FIRST_SECONDS.");
        if (!(o.GiveUpHours > 0)) problems.Add("DECISION_GIVE_UP_HOURS must be positive.");
        if (!(o.ClaimSeconds >= 1)) problems.Add("DECISION_CLAIM_SECONDS must be at least 1.");
        if (!(o.ReconcileAfterSeconds > 0)) problems.Add("RECONCILE_AFTER_SECONDS must be positive.");
        if (!(o.ReconcileEverySeconds >= 1)) problems.Add("RECONCILE_EVERY_SECONDS must be at least 1.");
        if (!o.ReconcileApproves && !string.Equals(o.ReconcileAction.Trim(), "score", StringComparison.OrdinalIgnoreCase))
            problems.Add("RECONCILE_ACTION must be score or approve.");
        if (!(o.RetentionDays > 0)) problems.Add("DECISIONS_RETENTION_DAYS must be positive.");
        if (!o.Purges && !string.Equals(o.PurgePii.Trim(), DecisionOptions.PurgeOff, StringComparison.OrdinalIgnoreCase))
            problems.Add("PURGE_PII must be off, dry-run or on.");
        else if (o.Purges && !o.IsDurable)
            problems.Add("PURGE_PII works from recorded decisions: it needs WEBHOOK_PROCESSING=durable.");
        if (!(o.PurgeAfterHours >= 0)) problems.Add("PURGE_AFTER_HOURS must be 0 or more.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>https anywhere; plain http only where it cannot cross the internet (a name is not resolved to find out).</summary>
    private static bool IsRelayUrl(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme == Uri.UriSchemeHttps) return true;
        if (uri.Scheme != Uri.UriSchemeHttp) return false;
        if (uri.IsLoopback) return true;
        return IPAddress.TryParse(uri.IdnHost, out var address) && IsPrivate(address);
    }

    private static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6UniqueLocal || address.IsIPv6LinkLocal;
        var b = address.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
    }
}
