using IncodeSlices.Infrastructure.Callers;
using MediatR;

namespace IncodeSlices.Features.Start;

public sealed record StartRequest : IRequest<StartResponse>
{
    /// <summary>Resumes a stored session instead of creating one (the phone side of redirect-to-mobile).</summary>
    public string? UniqueId { get; init; }

    /// <summary>The Node sample's older name for <see cref="UniqueId"/>.</summary>
    public string? Uuid { get; init; }

    /// <summary>The app's user, when caller authentication is on (set by the endpoint, never bound from the request).</summary>
    internal Caller? Caller { get; init; }

    /// <summary>The id to resume, if any; an empty <c>uniqueId=</c> counts as absent.</summary>
    public string? ResumeId => string.IsNullOrEmpty(UniqueId) ? (string.IsNullOrEmpty(Uuid) ? null : Uuid) : UniqueId;
}
