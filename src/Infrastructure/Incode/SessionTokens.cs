namespace IncodeSlices.Infrastructure.Incode;

public static class SessionTokens
{
    public const int MaxLength = 4096;

    /// <summary>
    /// A token travels to Incode as a header. HttpClient does not check a value added without
    /// validation: CR/LF would be written as they are (a header, or a whole request, of the caller's
    /// making inside our call to Incode) and NUL or non-ASCII fail on the wire. A token is printable ASCII.
    /// </summary>
    public static bool IsSendable([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? token) =>
        token is { Length: > 0 and <= MaxLength } && token.All(c => c is >= '!' and <= '~');
}
