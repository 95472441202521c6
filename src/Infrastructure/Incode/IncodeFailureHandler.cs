using System.Net;
using IncodeSlices.Infrastructure.Http;
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
        RefuseUnsendableToken(request);
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

    /// <summary>
    /// The session token comes from the caller (X-Token, or a JSON string that may hold any character)
    /// and travels as a header. HttpClient writes CR/LF in a header value as they are, which would let
    /// a caller add headers, or a whole second request carrying our x-api-key, to the call to Incode;
    /// NUL and non-ASCII fail on the wire. A token is printable ASCII; anything else is refused unsent.
    /// </summary>
    private static void RefuseUnsendableToken(HttpRequestMessage request)
    {
        if (request.Headers.NonValidated.TryGetValues("X-Incode-Hardware-Id", out var values)
            && values.Any(v => v.Any(c => c is < '!' or > '~')))
            throw new RequestRejectedException("Invalid session token");
    }

    private static bool IsOverflow(HttpRequestException ex) =>
        ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded }
        || ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded
        || ex.Message.Contains("buffer", StringComparison.OrdinalIgnoreCase);
}
