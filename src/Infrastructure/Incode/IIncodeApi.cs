using System.Text.Json.Nodes;
using Refit;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Every Incode call the token server makes. x-api-key and api-version come from
/// <see cref="IncodeHeadersHandler"/>; the per-call <c>X-Incode-Hardware-Id</c> is a parameter
/// (a session token or the admin token). Refit escapes query values, so an id can never add a parameter.
/// </summary>
public interface IIncodeApi
{
    [Post(IncodePaths.Start)]
    Task<IncodeStartResponse> StartAsync([Body(buffered: true)] IncodeStartRequest body, CancellationToken ct);

    [Get(IncodePaths.OnboardingUrl)]
    Task<IncodeOnboardingUrl> GetOnboardingUrlAsync(
        [Header("X-Incode-Hardware-Id")] string sessionToken, CancellationToken ct);

    [Get(IncodePaths.OnboardingStatus)]
    Task<IncodeOnboardingStatus> GetOnboardingStatusAsync([AliasAs("id")] string interviewId,
        [Header("X-Incode-Hardware-Id")] string adminToken, CancellationToken ct);

    [Get(IncodePaths.Score)]
    Task<IncodeScore> GetScoreAsync([AliasAs("id")] string interviewId,
        [Header("X-Incode-Hardware-Id")] string token, CancellationToken ct);

    [Post(IncodePaths.AuthenticationVerify)]
    Task<JsonObject> VerifyAuthenticationAsync([Body(buffered: true)] IncodeAuthenticationAttempt body,
        [Header("X-Incode-Hardware-Id")] string adminToken, CancellationToken ct);

    [Post(IncodePaths.ProcessApprove)]
    Task<JsonObject> ApproveAsync([AliasAs("interviewId")] string interviewId, [Body(buffered: true)] JsonObject body,
        [Header("X-Incode-Hardware-Id")] string adminToken, CancellationToken ct);

    [Get(IncodePaths.FinishStatus)]
    Task<JsonObject> GetFinishStatusAsync(
        [Header("X-Incode-Hardware-Id")] string sessionToken, CancellationToken ct);
}
