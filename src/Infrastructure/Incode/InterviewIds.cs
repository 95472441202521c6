namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Incode's interview ids are 24 hex characters. Anything else is passed on (escaped) for Incode to
/// judge, up to a length no real id reaches.
/// </summary>
public static class InterviewIds
{
    public const int MaxLength = 128;
    public const string TooLong = "interviewId is longer than 128 characters";
}
