using System.Text.Json.Nodes;
using Refit;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Incode's admin calls. Each carries the executive token, which <see cref="AdminTokenHandler"/>
/// adds (and renews when Incode refuses it); a caller never handles that token.
/// </summary>
public interface IIncodeAdminApi
{
    [Get(IncodePaths.OnboardingStatus)]
    Task<IncodeOnboardingStatus> GetOnboardingStatusAsync([AliasAs("id")] string interviewId, CancellationToken ct);

    [Get(IncodePaths.Score)]
    Task<IncodeScore> GetScoreAsync([AliasAs("id")] string interviewId, CancellationToken ct);

    [Post(IncodePaths.AuthenticationVerify)]
    Task<JsonObject> VerifyAuthenticationAsync([Body(buffered: true)] IncodeAuthenticationAttempt body, CancellationToken ct);

    [Post(IncodePaths.ProcessApprove)]
    Task<JsonObject> ApproveAsync([AliasAs("interviewId")] string interviewId, [Body(buffered: true)] JsonObject body, CancellationToken ct);

    /// <summary>Deletes at Incode what the body names; Incode documents no answer, so its body is not read: a 2xx is done.</summary>
    [Delete(IncodePaths.Interviews)]
    Task PurgeAsync([Body(buffered: true)] IncodePurge body, CancellationToken ct);
}
