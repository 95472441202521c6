using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>Incode settings, under the variable names the Node sample's <c>.env</c> already uses.</summary>
public sealed class IncodeOptions
{
    [ConfigurationKeyName("API_URL")] public string ApiUrl { get; set; } = "";
    [ConfigurationKeyName("API_KEY")] public string ApiKey { get; set; } = "";
    [ConfigurationKeyName("FLOW_ID")] public string FlowId { get; set; } = "";
    [ConfigurationKeyName("ADMIN_TOKEN")] public string? AdminToken { get; set; }

    /// <summary>Longest a request waits for Incode: all its calls, their retries and their bodies included.</summary>
    [ConfigurationKeyName("INCODE_TIMEOUT_SECONDS")] public double TimeoutSeconds { get; set; } = 20;

    /// <summary>Longest one attempt may take before it counts as failed (and, for a read, is retried).</summary>
    [ConfigurationKeyName("INCODE_ATTEMPT_TIMEOUT_SECONDS")] public double AttemptTimeoutSeconds { get; set; } = 8;

    /// <summary>Retries of a failed read (GET). Writes are never retried: each one may bill or approve.</summary>
    [ConfigurationKeyName("INCODE_READ_RETRIES")] public int ReadRetries { get; set; } = 2;
}
