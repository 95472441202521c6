using System.Text;

namespace IncodeSlices.Features.FaceAuth;

/// <summary>
/// A face authentication as /face-auth/start stored it, for /face-auth/verify to check an attempt
/// against. Written once, never changed (the record store does not overwrite): that it is no longer
/// pending is said by the verify ledger's records beside it, not by an edit of this one.
/// </summary>
internal sealed record FaceAuthSession(string InterviewId, string Token, string IdentityId, string Status, DateTimeOffset CreatedAt)
{
    public const string Pending = "pending";

    // The token and the claimed identity stay out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId).Append(", Status = ").Append(Status);
        return true;
    }
}
