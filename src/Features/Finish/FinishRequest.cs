using System.Text;
using System.Text.Json.Nodes;
using MediatR;

namespace IncodeSlices.Features.Finish;

public sealed record FinishRequest : IRequest<JsonObject>
{
    /// <summary>The session token of the onboarding to finish.</summary>
    public string Token { get; init; } = "";

    private bool PrintMembers(StringBuilder builder) => false;
}
