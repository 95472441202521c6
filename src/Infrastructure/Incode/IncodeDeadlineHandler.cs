using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Outermost handler of every Incode client: gives the call what is left of its request's time for
/// Incode (INCODE_TIMEOUT_SECONDS, shared by every call of one request, bodies included), and turns
/// a call that ran out of time or could not reach Incode into an <see cref="IncodeCallException"/>.
/// </summary>
internal sealed class IncodeDeadlineHandler(IOptions<IncodeOptions> options, IHttpContextAccessor http, TimeProvider clock) : DelegatingHandler
{
    private static readonly object BudgetStarted = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = request.RequestUri?.AbsolutePath ?? "call";
        var left = TimeLeft();
        if (left <= TimeSpan.Zero) throw new IncodeCallException(call, IncodeFailure.Timeout);

        // The pipeline's attempt timeouts end with the headers; this one also covers the body, which
        // IncodeAnswerHandler reads with this token, so a stalled body cannot hold the caller.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = clock.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), deadline, left, Timeout.InfiniteTimeSpan);
        try
        {
            return await base.SendAsync(request, deadline.Token);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new IncodeCallException(call, IncodeFailure.Timeout, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IncodeCallException(call, IncodeFailure.Timeout, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or BrokenCircuitException)
        {
            throw new IncodeCallException(call, IncodeFailure.Unreachable, ex);
        }
    }

    /// <summary>
    /// The routes that make two calls (/onboarding-url, /approve) share one budget, which their first
    /// call starts. Outside a request each call has the whole of it.
    /// </summary>
    private TimeSpan TimeLeft()
    {
        var total = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        if (http.HttpContext?.Items is not { } request) return total;
        if (request[BudgetStarted] is not long started) request[BudgetStarted] = started = clock.GetTimestamp();
        return total - clock.GetElapsedTime(started);
    }
}
