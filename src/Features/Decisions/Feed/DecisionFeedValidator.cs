using System.Globalization;
using FastEndpoints;
using FluentValidation;

namespace IncodeSlices.Features.Decisions.Feed;

internal sealed class DecisionFeedValidator : Validator<DecisionFeedRequest>
{
    public DecisionFeedValidator()
    {
        RuleFor(r => r.After)
            .Must(after => string.IsNullOrEmpty(after) || (after.Length <= 18 && long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            .WithMessage("Invalid parameter after: pass the next of an earlier page");
        RuleFor(r => r.Limit)
            .Must(limit => string.IsNullOrEmpty(limit)
                || (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= DecisionFeedRequest.MaxLimit))
            .WithMessage($"Invalid parameter limit: a whole number from 1 to {DecisionFeedRequest.MaxLimit}");
    }
}
