using System.Text.Json.Nodes;
using Refit;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Incode's session calls: the new session itself, then calls made with its token. x-api-key and
/// api-version come from <see cref="IncodeHeadersHandler"/>; the session token is a parameter.
/// Refit escapes query values, so an id can never add a parameter of its own.
/// </summary>
public interface IIncodeApi
{
    [Post(IncodePaths.Start)]
    Task<IncodeStartResponse> StartAsync([Body(buffered: true)] IncodeStartRequest body, CancellationToken ct);

    [Get(IncodePaths.OnboardingUrl)]
    Task<IncodeOnboardingUrl> GetOnboardingUrlAsync([Header(IncodeHeaders.HardwareId)] string sessionToken, CancellationToken ct);

    [Get(IncodePaths.Score)]
    Task<IncodeScore> GetScoreAsync([AliasAs("id")] string interviewId,
        [Header(IncodeHeaders.HardwareId)] string sessionToken, CancellationToken ct);

    [Get(IncodePaths.FinishStatus)]
    Task<JsonObject> GetFinishStatusAsync([Header(IncodeHeaders.HardwareId)] string sessionToken, CancellationToken ct);
}
