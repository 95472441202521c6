using System.Text;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>What <c>/start</c> keeps of an Incode session, so that a second device can resume it.</summary>
public sealed record StoredSession(string Token, string InterviewId, string UniqueId)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId).Append(", UniqueId = ").Append(UniqueId);
        return true;
    }
}
