using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Tests.Support;

/// <summary>Every call this server makes to Incode, with the example payload of a good answer.</summary>
public static class IncodeCalls
{
    public static readonly IReadOnlyList<(string Method, string Path, string Payload)> All =
    [
        ("POST", IncodePaths.Start, "omni-start.response"),
        ("GET", IncodePaths.OnboardingUrl, "onboarding-url.response"),
        ("GET", IncodePaths.OnboardingStatus, "onboarding-status.response"),
        ("GET", IncodePaths.Score, "score.onboarding.response"),
        ("POST", IncodePaths.AuthenticationVerify, "authentication-verify.response"),
        ("POST", IncodePaths.ProcessApprove, "process-approve.response"),
        ("GET", IncodePaths.FinishStatus, "finish-status.response"),
    ];

    public static string PayloadOf(string path) => All.FirstOrDefault(c => c.Path == path).Payload is { } payload
        ? IncodePayloads.Read(payload)
        : "{}";
}
