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
    public const string Interviews = "/omni/interviews";
}
