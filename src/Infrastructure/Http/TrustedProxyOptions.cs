using System.Net;
using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>Proxies whose X-Forwarded-For is believed: comma-separated addresses or CIDR ranges.</summary>
public sealed class TrustedProxyOptions
{
    [ConfigurationKeyName("TRUSTED_PROXIES")] public string? TrustedProxies { get; set; }

    /// <summary>False when an entry is neither an address nor a CIDR range.</summary>
    internal bool TryRead(out List<IPAddress> addresses, out List<System.Net.IPNetwork> networks) =>
        AddressList.TryRead(TrustedProxies, out addresses, out networks);
}
