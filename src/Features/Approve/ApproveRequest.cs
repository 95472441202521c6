using System.Text;
using System.Text.Json.Nodes;
using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.Approve;

/// <summary>The same onboarding-status webhook as /webhook, delivered to the auto-approving route.</summary>
public sealed record ApproveRequest : IRequest<ApproveResponse>
{
    [FromBody] public JsonObject Payload { get; init; } = [];

    private bool PrintMembers(StringBuilder builder) => false;
}
