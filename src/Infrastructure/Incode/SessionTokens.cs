namespace IncodeSlices.Infrastructure.Incode;

/// <summary>Incode's session tokens are JWTs of well under 2 KB; a longer value is not one.</summary>
public static class SessionTokens
{
    public const int MaxLength = 4096;
}
