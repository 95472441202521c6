using System.Text.Json.Nodes;

namespace IncodeSlices.Features.Webhook;

public sealed record WebhookResponse(string Timestamp, bool Success, JsonObject Data);
