namespace IncodeSlices.Infrastructure.Incode;

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
