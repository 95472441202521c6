using System.Diagnostics;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Each attempt's timeout, and another attempt for a read that failed in a way worth trying again,
/// as a Polly pipeline built once per client and run directly: no pipeline lookup, telemetry or
/// reload tracking per call, which a token server at thousands of calls a second pays for in CPU.
/// </summary>
internal sealed class IncodeRetryHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.SetRequestMessage(request); // read by the retry's rule for unsafe methods
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (attempt, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendOnceAsync(state.Request, attempt.CancellationToken));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request));
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken ct) =>
        ServerTracing.StartAttempt(request) is { } span ? SendTracedAsync(request, span, ct) : base.SendAsync(request, ct);

    private async Task<HttpResponseMessage> SendTracedAsync(HttpRequestMessage request, Activity span, CancellationToken ct)
    {
        using (span)
        {
            try
            {
                var response = await base.SendAsync(request, ct);
                ServerTracing.AttemptEnded(span, response, exception: null);
                return response;
            }
            catch (Exception ex)
            {
                ServerTracing.AttemptEnded(span, response: null, ex);
                throw;
            }
        }
    }

    /// <summary>Reads are retried (jittered exponential backoff, Incode's Retry-After honoured); writes never are.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Build(IncodeOptions incode, TimeProvider clock)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock };
        if (incode.ReadRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = incode.ReadRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            };
            // A retried POST /omni/start is a second billable session; a retried approve, a second
            // identity; a retried executive login, one more strike towards locking the account.
            retry.DisableForUnsafeHttpMethods();
            pipeline.AddRetry(retry);
        }
        return pipeline.AddTimeout(TimeSpan.FromSeconds(incode.AttemptTimeoutSeconds)).Build();
    }
}
