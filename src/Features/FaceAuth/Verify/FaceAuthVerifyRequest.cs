using System.Text;
using MediatR;

namespace IncodeSlices.Features.FaceAuth.Verify;

/// <summary>The session from /face-auth/start and the identity the Web SDK matched the face to (<c>candidate</c>).</summary>
public sealed record FaceAuthVerifyRequest : IRequest<FaceAuthVerifyResponse>
{
    public string InterviewId { get; init; } = "";
    public string Token { get; init; } = "";
    public string Candidate { get; init; } = "";

    // The token and the candidate stay out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId);
        return true;
    }
}
