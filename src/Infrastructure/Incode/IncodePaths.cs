namespace IncodeSlices.Infrastructure.Incode;

/// <summary>The Incode endpoints this server calls; error messages name the call by these paths.</summary>
public static class IncodePaths
{
    public const string Start = "/omni/start";
    public const string OnboardingUrl = "/0/omni/onboarding-url";
    public const string OnboardingStatus = "/omni/get/onboarding/status";
    public const string Score = "/omni/get/score";
    public const string AuthenticationVerify = "/omni/authentication/verify";
    public const string ProcessApprove = "/omni/process/approve";
    public const string FinishStatus = "/omni/finish-status";
    public const string ExecutiveLogIn = "/executive/log-in";
}

public static class IncodeHeaders
{
    /// <summary>Carries the session token on session calls and the executive token on admin calls.</summary>
    public const string HardwareId = "X-Incode-Hardware-Id";
}

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
