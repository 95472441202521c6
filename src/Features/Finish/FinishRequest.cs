using System.Text;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Callers;
using MediatR;

namespace IncodeSlices.Features.Finish;

public sealed record FinishRequest : IRequest<JsonObject>
{
    /// <summary>The session token of the onboarding to finish.</summary>
    public string Token { get; init; } = "";

    /// <summary>The app's user, when caller authentication is on (set by the endpoint, never bound from the request).</summary>
    internal Caller? Caller { get; init; }

    private bool PrintMembers(StringBuilder builder) => false;
}
