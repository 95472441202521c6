using System.Text;
using FastEndpoints;
using IncodeSlices.Infrastructure.Callers;
using MediatR;

namespace IncodeSlices.Features.FetchScore;

public sealed record FetchScoreRequest : IRequest<FetchScoreResponse>
{
    public string InterviewId { get; init; } = "";

    [FromHeader("X-Token", isRequired: false)] // the validator owns the message
    public string Token { get; init; } = "";

    /// <summary>The app's user, when caller authentication is on (set by the endpoint, never bound from the request).</summary>
    internal Caller? Caller { get; init; }

    // A record prints every property; the session token stays out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId);
        return true;
    }
}
