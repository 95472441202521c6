using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.SessionBudget;

public sealed class SessionBudgetOptions
{
    /// <summary>New (billable) Incode sessions one client address may create per minute; 0 turns the budget off.</summary>
    [ConfigurationKeyName("RATE_LIMIT_PER_MINUTE")] public int PerMinute { get; set; } = 10;
}
