using System.Globalization;
using System.Text;
using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.Decisions.Feed;

/// <summary><c>GET /decisions?after=&amp;limit=</c>: the decisions recorded after a cursor, oldest first.</summary>
public sealed record DecisionFeedRequest : IRequest<DecisionFeedResponse>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>A <c>next</c> this feed gave; none reads from the oldest kept.</summary>
    [QueryParam] public string? After { get; init; }

    [QueryParam] public string? Limit { get; init; }

    [FromHeader("Authorization", isRequired: false)] // the endpoint owns the 401
    public string? Authorization { get; init; }

    internal long Cursor => string.IsNullOrEmpty(After) ? 0 : long.Parse(After, NumberStyles.None, CultureInfo.InvariantCulture);

    internal int Count => string.IsNullOrEmpty(Limit) ? DefaultLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);

    // The API key stays out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("After = ").Append(After).Append(", Limit = ").Append(Limit);
        return true;
    }
}
