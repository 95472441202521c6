using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Features.WebhookAccess;

public sealed class WebhookSourceOptions
{
    /// <summary>The addresses Incode delivers from (addresses or CIDR ranges, comma-separated); unset, any.</summary>
    [ConfigurationKeyName("WEBHOOK_ALLOWED_IPS")] public string? AllowedIps { get; set; }

    public bool IsSet => !string.IsNullOrWhiteSpace(AllowedIps);
}
