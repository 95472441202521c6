using System.Text;

namespace IncodeSlices.Features.FaceAuth.Start;

/// <summary>The session the frontend hands to the Web SDK's renderAuthFace.</summary>
public sealed record FaceAuthStartResponse(string Token, string InterviewId)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId);
        return true;
    }
}
