namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>
/// Session ids are lower-case canonical UUIDs (8-4-4-4-12 hex). The id becomes a file name, so
/// nothing else may pass: no dots, slashes, encodings or upper-case twins of a stored id.
/// </summary>
public static class SessionIds
{
    public static string NewId() => Guid.NewGuid().ToString("D"); // v4, lower-case

    public static bool IsCanonical(string? value)
    {
        if (value is not { Length: 36 }) return false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var ok = i is 8 or 13 or 18 or 23 ? c == '-' : char.IsAsciiDigit(c) || c is >= 'a' and <= 'f';
            if (!ok) return false;
        }
        return true;
    }
}
