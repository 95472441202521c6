using System.Net;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>A comma-separated list of addresses and CIDR ranges, as settings give them.</summary>
public static class AddressList
{
    public static bool TryRead(string? setting, out List<IPAddress> addresses, out List<System.Net.IPNetwork> networks)
    {
        addresses = [];
        networks = [];
        foreach (var entry in (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (!entry.Contains('/') && IPAddress.TryParse(entry, out var address)) addresses.Add(address);
            else return false;
        }
        return true;
    }
}
