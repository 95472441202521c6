using System.Security.Cryptography;
using System.Text;

namespace IncodeSlices.Features.WebhookAccess;

internal static class WebhookSecrets
{
    /// <summary>
    /// Compares digests, in constant time: neither how much of the value matched nor its length
    /// shows in the time the comparison takes.
    /// </summary>
    public static bool Same(string? sent, string expected) =>
        sent is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
