using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Features.WebhookAccess;

public sealed class WebhookSecretOptions
{
    /// <summary>The value Incode is configured to send with each webhook; unset leaves the webhooks open.</summary>
    [ConfigurationKeyName("WEBHOOK_SECRET")] public string? Secret { get; set; }

    [ConfigurationKeyName("WEBHOOK_SECRET_HEADER")] public string Header { get; set; } = "X-Webhook-Secret";

    public bool IsSet => !string.IsNullOrEmpty(Secret);
}
