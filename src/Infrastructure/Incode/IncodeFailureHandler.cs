using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Outermost handler of the Incode client: sees each call's final outcome after retries and
/// timeouts, and turns every way it can go wrong into an <see cref="IncodeCallException"/>. It also
/// caps the size of what Incode may send, so a runaway body cannot fill this server's memory.
/// </summary>
internal sealed class IncodeFailureHandler : DelegatingHandler
{
    /// <summary>Incode's largest answer this server reads (a score) is a few KB; 1 MB is generous.</summary>
    internal const long MaxResponseBytes = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = request.RequestUri?.AbsolutePath ?? "call";
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw IncodeCallException.TimedOut(call, ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw IncodeCallException.Unreachable(call, ex);
        }
        catch (HttpRequestException ex)
        {
            throw IncodeCallException.Unreachable(call, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw IncodeCallException.TimedOut(call, ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw IncodeCallException.FromStatus(call, status);
        }

        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            response.Dispose();
            throw IncodeCallException.FromBadBody(call, "with a body over 1 MB");
        }

        // Length unknown (chunked): read at most the cap, whatever the body turns out to be.
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxResponseBytes, cancellationToken);
        }
        catch (HttpRequestException ex) when (IsOverflow(ex))
        {
            response.Dispose();
            throw IncodeCallException.FromBadBody(call, "with a body over 1 MB", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            response.Dispose();
            throw IncodeCallException.Unreachable(call, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            throw IncodeCallException.TimedOut(call, ex);
        }

        return response;
    }

    private static bool IsOverflow(HttpRequestException ex) =>
        ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded }
        || ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded
        || ex.Message.Contains("buffer", StringComparison.OrdinalIgnoreCase);
}
