using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Outermost handler of every Incode client: gives the call what is left of its request's time for
/// Incode (INCODE_TIMEOUT_SECONDS, shared by every call of one request, bodies included), and turns
/// a call that ran out of time or could not reach Incode into an <see cref="IncodeCallException"/>.
/// Being outermost, it also sees each call whole, as its caller does (retries, admin-token renewal
/// and the body included): here it is measured and traced, named by its path, never by its URL,
/// whose query holds ids.
/// </summary>
internal sealed class IncodeDeadlineHandler(IOptions<IncodeOptions> options, IHttpContextAccessor http, TimeProvider clock, ServerMetrics metrics)
    : DelegatingHandler
{
    private static readonly object BudgetStarted = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = request.RequestUri?.AbsolutePath ?? "call";
        using var span = ServerTracing.Source.StartActivity("Incode call");
        if (span is not null)
        {
            span.DisplayName = $"Incode {request.Method.Method} {call}";
            span.SetTag("incode.call", call).SetTag("http.request.method", request.Method.Method);
        }
        var started = clock.GetTimestamp();
        try
        {
            var left = TimeLeft();
            if (left <= TimeSpan.Zero) throw new IncodeCallException(call, IncodeFailure.Timeout);

            // The pipeline's attempt timeouts end with the headers; this one also covers the body, which
            // IncodeResponseHandler reads with this token, so a stalled body cannot hold the caller.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var timer = clock.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), deadline, left, Timeout.InfiniteTimeSpan);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, deadline.Token);
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

            metrics.IncodeCallEnded(call, "ok", clock.GetElapsedTime(started));
            span?.SetTag("incode.outcome", "ok").SetTag("http.response.status_code", (int)response.StatusCode);
            return response;
        }
        catch (Exception ex)
        {
            // A caller that left, or an admin call with no token to send, has no Incode outcome to count.
            var failure = IncodeCallException.Find(ex);
            if (failure is not null)
            {
                metrics.IncodeCallEnded(call, failure.Outcome, clock.GetElapsedTime(started));
                span?.SetTag("incode.outcome", failure.Outcome).SetTag("http.response.status_code", failure.Status);
            }
            ServerTracing.Failed(span, failure?.Outcome ?? "not sent", ex);
            throw;
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
