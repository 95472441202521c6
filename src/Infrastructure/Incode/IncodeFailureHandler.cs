using System.Diagnostics;
using System.Text.Json;
using IncodeSlices.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Outermost handler of the Incode client: sees each call's final outcome after retries and
/// timeouts, and turns every way it can go wrong into an <see cref="IncodeCallException"/>. It also
/// caps the size of what Incode may send, so a runaway body cannot fill this server's memory.
/// </summary>
internal sealed class IncodeFailureHandler(IOptions<IncodeOptions> options, IHttpContextAccessor http) : DelegatingHandler
{
    private static readonly object BudgetStarted = new();

    /// <summary>Incode's largest answer this server reads (a score) is a few KB; 1 MB is generous.</summary>
    internal const long MaxResponseBytes = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = request.RequestUri?.AbsolutePath ?? "call";
        RefuseUnsendableToken(request);
        var left = TimeLeft();
        if (left <= TimeSpan.Zero) throw IncodeCallException.TimedOut(call);

        // Covers the headers and the body: the pipeline's attempt timeouts end with the headers, and a
        // body that stalls would otherwise hold the caller for as long as Incode keeps the connection.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(left);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, deadline.Token);
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

        try
        {
            var body = await ReadCappedAsync(response.Content, call, deadline.Token);
            RequireJsonObject(body, call);
            response.Content = Buffered(response.Content, body);
            return response;
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
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// INCODE_TIMEOUT_SECONDS is what a caller waits for Incode in all: the routes that make two calls
    /// (/onboarding-url, /approve) share one budget, which their first call starts. Outside a request
    /// each call has the whole of it.
    /// </summary>
    private TimeSpan TimeLeft()
    {
        var total = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        if (http.HttpContext?.Items is not { } request) return total;
        if (request[BudgetStarted] is not long started) request[BudgetStarted] = started = Stopwatch.GetTimestamp();
        return total - Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The whole body, read up to the cap whether or not Incode announced its length (chunked).</summary>
    private static async Task<byte[]> ReadCappedAsync(HttpContent content, string call, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (body.Length + read > MaxResponseBytes) throw IncodeCallException.FromBadBody(call, "with a body over 1 MB");
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }

    /// <summary>
    /// Every answer this server asks Incode for is a JSON object. An empty 200 or a literal null would
    /// otherwise reach a handler as a null record (a 500) or be passed on to the caller as nothing at all.
    /// </summary>
    private static void RequireJsonObject(byte[] body, string call)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object) return;
        }
        catch (JsonException)
        {
            // not JSON at all
        }
        throw IncodeCallException.FromBadBody(call, "with a body that is not the JSON expected");
    }

    private static ByteArrayContent Buffered(HttpContent original, byte[] body)
    {
        var buffered = new ByteArrayContent(body);
        foreach (var (name, values) in original.Headers) buffered.Headers.TryAddWithoutValidation(name, values);
        original.Dispose();
        return buffered;
    }

    /// <summary>
    /// The session token comes from the caller (X-Token, or a JSON string that may hold any character)
    /// and travels as a header. HttpClient does not check a value added without validation: CR/LF are
    /// either written as they are (a caller's headers, or a whole second request, inside our call to
    /// Incode) or dropped (Incode gets another token); NUL and non-ASCII fail on the wire, as a 502.
    /// A token is printable ASCII; anything else is the caller's mistake and is never sent.
    /// </summary>
    private static void RefuseUnsendableToken(HttpRequestMessage request)
    {
        if (request.Headers.NonValidated.TryGetValues("X-Incode-Hardware-Id", out var values)
            && values.Any(v => v.Any(c => c is < '!' or > '~')))
            throw new RequestRejectedException("Invalid session token");
    }
}
