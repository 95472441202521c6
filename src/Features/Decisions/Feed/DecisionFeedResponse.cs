using System.Text.Json.Nodes;

namespace IncodeSlices.Features.Decisions.Feed;

/// <summary><c>next</c> is passed as <c>after</c> to read on; with nothing new it is the cursor read from.</summary>
public sealed record DecisionFeedResponse(JsonArray Decisions, string Next);
