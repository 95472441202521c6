using System.Text;

namespace IncodeSlices.Features.Start;

/// <summary>The session token for the Web SDK and the id a second device resumes with; never the interviewId.</summary>
public sealed record StartResponse(string Token, string UniqueId)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("UniqueId = ").Append(UniqueId);
        return true;
    }
}
