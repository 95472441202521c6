using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Sessions;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Callers;

/// <summary>
/// Whose session a route is asked about, before Incode is called: with caller authentication on, only
/// the user who started it, or the back office, gets an answer; anyone else gets the 404 of an unknown
/// session (so the answer is no oracle of which ids exist). Off, every check lets everything through.
/// </summary>
public sealed class SessionAccess(ISessionStore sessions, IOptions<CallerOptions> options)
{
    public bool IsOn { get; } = options.Value.IsOn;

    /// <summary>The interview must be the caller's.</summary>
    public async Task RequireInterviewAsync(Caller? caller, string interviewId, CancellationToken ct)
    {
        if (!IsOn || caller is { IsAdmin: true }) return;
        var owner = await sessions.FindInterviewAsync(interviewId, ct);
        if (caller is null || !caller.MaySee(owner?.User)) throw new SessionNotFoundException("The interview is not the caller's");
    }

    /// <summary>The session of the token must be the caller's (and, if named, be that interview's).</summary>
    public async Task RequireTokenAsync(Caller? caller, string token, string? interviewId, CancellationToken ct)
    {
        if (!IsOn || caller is { IsAdmin: true }) return;
        var owner = await sessions.FindTokenAsync(token, ct);
        if (caller is null || !caller.MaySee(owner?.User) || (interviewId is not null && owner!.InterviewId != interviewId))
            throw new SessionNotFoundException("The session token is not the caller's");
    }

    /// <summary>A stored session may be resumed by anyone holding its uniqueId, but not by another signed-in user.</summary>
    public static void RequireResumable(Caller? caller, StoredSession session)
    {
        if (caller is not null && !caller.MaySee(session.User)) throw new SessionNotFoundException("The session is not the caller's");
    }
}
