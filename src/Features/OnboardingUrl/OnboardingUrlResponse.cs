using System.Text;

namespace IncodeSlices.Features.OnboardingUrl;

public sealed record OnboardingUrlResponse(bool Success, string Token, string InterviewId, string Url)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId);
        return true;
    }
}
