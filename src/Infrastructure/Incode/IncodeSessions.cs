namespace IncodeSlices.Infrastructure.Incode;

/// <summary>A new Incode session: what every caller of <c>/omni/start</c> needs from its answer.</summary>
public sealed record IncodeSession(string Token, string InterviewId)
{
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId);
        return true;
    }
}

public static class IncodeSessions
{
    /// <summary>Starts a session; an answer without a token or interviewId is Incode's failure, not a session.</summary>
    public static async Task<IncodeSession> StartSessionAsync(this IIncodeApi incode, IncodeStartRequest request, CancellationToken ct)
    {
        var started = await incode.StartAsync(request, ct);
        if (string.IsNullOrEmpty(started.Token)) throw IncodeCallException.MissingField(IncodePaths.Start, "token");
        if (string.IsNullOrEmpty(started.InterviewId)) throw IncodeCallException.MissingField(IncodePaths.Start, "interviewId");
        return new IncodeSession(started.Token, started.InterviewId);
    }
}
