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
}

/// <summary>
/// The executive login, in a client of its own: no admin token to add (it is how one is obtained),
/// and being a POST it is never retried, so a wrong password costs one failed attempt at Incode,
/// not several that could lock the account.
/// </summary>
public interface IIncodeExecutiveApi
{
    [Post(IncodePaths.ExecutiveLogIn)]
    Task<IncodeExecutiveToken> LogInAsync([Body(buffered: true)] IncodeExecutiveLogIn body, CancellationToken ct);
}

/// <summary>Starts a session; an answer without a usable token or interviewId is Incode's failure, not a session.</summary>
public static class IncodeSessions
{
    public static async Task<IncodeSession> StartSessionAsync(this IIncodeApi incode, IncodeStartRequest request, CancellationToken ct)
    {
        var started = await incode.StartAsync(request, ct);
        if (!SessionTokens.IsSendable(started.Token)) throw IncodeCallException.MissingField(IncodePaths.Start, "token");
        if (string.IsNullOrEmpty(started.InterviewId)) throw IncodeCallException.MissingField(IncodePaths.Start, "interviewId");
        return new IncodeSession(started.Token, started.InterviewId);
    }
}
