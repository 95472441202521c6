using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>
/// Forgets the stored token of a session that is finished (/finish answered, ONBOARDING_FINISHED
/// processed): a credential Incode honours for months has no reason to stay once the session is done.
/// Never fails its caller: the session is finished either way, and the token still ends with its lifetime.
/// </summary>
public sealed class FinishedSessions(ISessionStore sessions, ILogger<FinishedSessions> logger)
{
    public Task ForgetInterviewAsync(string interviewId) => ForgetAsync(ct => sessions.FindInterviewAsync(interviewId, ct));

    public Task ForgetTokenAsync(string token) => ForgetAsync(ct => sessions.FindTokenAsync(token, ct));

    /// <summary>For a caller that has looked the session's owner up already (durable processing, for the decision's externalCustomerId).</summary>
    public Task ForgetAsync(SessionOwnership? owner) => owner is null ? Task.CompletedTask : ForgetAsync(_ => Task.FromResult<SessionOwnership?>(owner));

    private async Task ForgetAsync(Func<CancellationToken, Task<SessionOwnership?>> find)
    {
        try
        {
            // Not the request's token: a caller that hangs up after Incode finished the session still gets it forgotten.
            if (await find(CancellationToken.None) is { } owned && await sessions.ForgetTokenAsync(owned, CancellationToken.None))
                logger.LogInformation("Interview {InterviewId} finished: its stored session token is forgotten", owned.InterviewId);
        }
        catch (Exception ex)
        {
            logger.LogWarning("A finished session's token is not forgotten yet: {Reason}", ex.GetType().Name);
        }
    }
}
