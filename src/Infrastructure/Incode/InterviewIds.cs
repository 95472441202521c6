namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// What callers may send as ids and tokens. Incode's interview ids are 24 hex characters and its
/// session tokens JWTs of well under 2 KB; anything else is passed on (escaped) for Incode to judge,
/// up to lengths no real value reaches.
/// </summary>
public static class InterviewIds
{
    public const int MaxLength = 128;
    public const string TooLong = "interviewId is longer than 128 characters";
}
