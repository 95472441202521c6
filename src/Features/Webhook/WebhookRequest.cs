using System.Text;
using System.Text.Json.Nodes;
using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.Webhook;

/// <summary>Incode's onboarding-status webhook, kept whole: its answer echoes every key as received.</summary>
public sealed record WebhookRequest : IRequest<WebhookResponse>
{
    [FromBody] public JsonObject Payload { get; init; } = [];

    private bool PrintMembers(StringBuilder builder) => false;
}
