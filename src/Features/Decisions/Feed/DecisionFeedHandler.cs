using System.Globalization;
using System.Text.Json.Nodes;
using MediatR;

namespace IncodeSlices.Features.Decisions.Feed;

internal sealed class DecisionFeedHandler(IDecisionStore store) : IRequestHandler<DecisionFeedRequest, DecisionFeedResponse>
{
    public async Task<DecisionFeedResponse> Handle(DecisionFeedRequest request, CancellationToken ct)
    {
        var entries = await store.ReadAsync(request.Cursor, request.Count, ct);
        var next = entries.Count == 0 ? request.Cursor : entries[^1].Sequence;
        return new DecisionFeedResponse(
            new JsonArray(entries.Select(e => JsonNode.Parse(e.Json)).ToArray()),
            next.ToString(CultureInfo.InvariantCulture));
    }
}
