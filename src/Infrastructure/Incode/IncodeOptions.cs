using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>Incode settings, under the variable names the Node sample's <c>.env</c> already uses.</summary>
public sealed class IncodeOptions
{
    [ConfigurationKeyName("API_URL")] public string ApiUrl { get; set; } = "";

    /// <summary>API_URL as the clients' base address, read once: a typed client is made for every request that calls Incode.</summary>
    internal Uri BaseAddress => _baseAddress ??= new Uri(ApiUrl.TrimEnd('/'));
    private Uri? _baseAddress;
    [ConfigurationKeyName("API_KEY")] public string ApiKey { get; set; } = "";
    [ConfigurationKeyName("FLOW_ID")] public string FlowId { get; set; } = "";
    [ConfigurationKeyName("ADMIN_TOKEN")] public string? AdminToken { get; set; }

    /// <summary>An Incode dashboard user with the executive role; with it, this server logs in and renews the admin token itself.</summary>
    [ConfigurationKeyName("ADMIN_EMAIL")] public string? AdminEmail { get; set; }
    [ConfigurationKeyName("ADMIN_PASSWORD")] public string? AdminPassword { get; set; }

    /// <summary>ADMIN_EMAIL and ADMIN_PASSWORD are set; they win over ADMIN_TOKEN, which cannot be renewed.</summary>
    public bool LogsInAsAdmin => !string.IsNullOrWhiteSpace(AdminEmail) && !string.IsNullOrWhiteSpace(AdminPassword);

    /// <summary>Answered in-process by the sandbox (see <c>SandboxMode</c>); <c>--sandbox</c> sets it too.</summary>
    [ConfigurationKeyName("INCODE_SANDBOX")] public bool Sandbox { get; set; }

    /// <summary>Longest a request waits for Incode: all its calls, their retries and their bodies included.</summary>
    [ConfigurationKeyName("INCODE_TIMEOUT_SECONDS")] public double TimeoutSeconds { get; set; } = 20;

    /// <summary>Longest one attempt may take before it counts as failed (and, for a read, is retried).</summary>
    [ConfigurationKeyName("INCODE_ATTEMPT_TIMEOUT_SECONDS")] public double AttemptTimeoutSeconds { get; set; } = 8;

    /// <summary>Retries of a failed read (GET). Writes are never retried: each one may bill or approve.</summary>
    [ConfigurationKeyName("INCODE_READ_RETRIES")] public int ReadRetries { get; set; } = 2;
}
