using System.Security.Cryptography;
using System.Text;

namespace IncodeSlices.Infrastructure.Telemetry;

/// <summary>
/// A credential (a session's uniqueId or token) as a log line may name it: the first 8 hex digits of
/// its SHA-256, enough to match two lines about the same session, nothing to use it with.
/// </summary>
public static class Fingerprint
{
    public static string Of(string credential) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)))[..8];
}
