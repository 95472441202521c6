using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.Http;

public sealed class CallerOriginOptions
{
    /// <summary>The browser origins allowed to call the server (comma-separated); unset or <c>*</c>, any.</summary>
    [ConfigurationKeyName("CORS_ORIGINS")] public string? Origins { get; set; }
}
