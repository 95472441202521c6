using System.Text;
using System.Text.Json.Serialization;

namespace IncodeSlices.Infrastructure.Incode;

public sealed record IncodeStartRequest(
    string ConfigurationId,
    string Language,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RedirectionUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExternalCustomerId = null);

public sealed record IncodeStartResponse(string? Token, string? InterviewId)
{
    // The session token must never reach a log through a record's generated ToString.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId);
        return true;
    }
}

public sealed record IncodeOnboardingUrl(string? Url);

public sealed record IncodeOnboardingStatus(string? OnboardingStatus);

/// <summary>The parts of a score this server reads; <c>authentication</c> only in a face-authentication session's.</summary>
public sealed record IncodeScore(IncodeScoreStatus? Overall, IncodeAuthenticationScore? Authentication = null)
{
    /// <summary>Only an overall status of exactly OK passes; WARN, FAIL, UNKNOWN and every MANUAL… do not.</summary>
    public bool Passed => Overall?.Status == "OK";

    // The matched identity is what a face login logs in as: not for the log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Overall = ").Append(Overall);
        return true;
    }
}

/// <summary>Whom Incode matched the face to (<c>identityId</c>), and how sure it is.</summary>
public sealed record IncodeAuthenticationScore(IncodeScoreStatus? Overall, string? IdentityId)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Overall = ").Append(Overall);
        return true;
    }
}

public sealed record IncodeScoreStatus(string? Value, string? Status);

public sealed record IncodeAuthenticationAttempt(string TransactionId, string Token, string InterviewToken)
{
    private bool PrintMembers(StringBuilder builder) => false;
}

public sealed record IncodeExecutiveLogIn(string Email, string Password)
{
    private bool PrintMembers(StringBuilder builder) => false;
}

public sealed record IncodeExecutiveToken(string? Token)
{
    private bool PrintMembers(StringBuilder builder) => false;
}

/// <summary>A new Incode session: what every caller of <c>/omni/start</c> needs from its answer.</summary>
public sealed record IncodeSession(string Token, string InterviewId)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId);
        return true;
    }
}

/// <summary>
/// <c>DELETE /omni/interviews</c>'s body as Incode's own purge sample sends it: one interview's
/// personal data deleted, its device fingerprints and statistics kept, nobody notified.
/// </summary>
public sealed record IncodePurge(IncodePurgeFilter Filter, IncodePurgeConfig Config)
{
    public static IncodePurge PersonalDataOf(string interviewId) =>
        new(new IncodePurgeFilter([interviewId]), new IncodePurgeConfig(DeletePiiDataOnly: true, SendNotification: false, ["deviceFingerPrints", "stats"]));
}

public sealed record IncodePurgeFilter(IReadOnlyList<string> Ids);

public sealed record IncodePurgeConfig(bool DeletePiiDataOnly, bool SendNotification, IReadOnlyList<string> RelatedEntitiesToKeep);
