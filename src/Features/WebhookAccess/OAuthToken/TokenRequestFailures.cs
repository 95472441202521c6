using System.Threading.RateLimiting;

namespace IncodeSlices.Features.WebhookAccess.OAuthToken;

/// <summary>
/// Wrong client credentials, counted per client address and minute: past <see cref="PerMinute"/>,
/// every token request from that address is refused until the minute is over, right credentials
/// included, so that the client secret cannot be guessed at speed. Incode, configured right, never
/// fails. Counted by each instance on its own.
/// </summary>
internal sealed class TokenRequestFailures : IDisposable
{
    public const int PerMinute = 10;

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = PerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>How long <paramref name="address"/> must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? HoldBack(string address)
    {
        // Asking for no permit tells whether any is left, and uses none.
        using var lease = _failures.AttemptAcquire(address, permitCount: 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Count(string address) => _failures.AttemptAcquire(address).Dispose();

    public void Dispose() => _failures.Dispose();
}
