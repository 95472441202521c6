using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>Keys become file names and Redis keys: only lower-case letters, digits and dashes.</summary>
public static class RecordKeys
{
    public static bool IsSafe(string key) =>
        key.Length is > 0 and <= 128 && !key.AsSpan().ContainsAnyExcept(Allowed);

    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>
    /// A safe key for an id this server does not choose (Incode's interview ids, which a caller may
    /// also send): its SHA-256 digest in lower-case hex, whatever characters the id holds.
    /// </summary>
    public static string Of(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
