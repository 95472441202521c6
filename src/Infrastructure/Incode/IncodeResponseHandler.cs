using System.Buffers;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Checks each Incode answer after retries and admin-token renewal: a non-2xx status, a body over
/// 1 MB (so a runaway answer cannot fill this server's memory) or a body that is not a JSON object
/// is an <see cref="IncodeCallException"/>. A good body is read here, whole, within the deadline.
/// A DELETE's answer is judged by its status alone.
/// </summary>
internal sealed class IncodeResponseHandler : DelegatingHandler
{
    /// <summary>Incode's largest answer this server reads (a score) is a few KB; 1 MB is generous.</summary>
    internal const long MaxResponseBytes = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = request.RequestUri?.AbsolutePath ?? "call";
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            if (!response.IsSuccessStatusCode) throw IncodeCallException.FromStatus(call, (int)response.StatusCode);
            // A purge's answer has no documented shape (it may be empty): nothing of it is read.
            if (request.Method == HttpMethod.Delete) return response;
            if (response.Content.Headers.ContentLength > MaxResponseBytes) throw new IncodeCallException(call, IncodeFailure.TooLarge);

            var body = await ReadCappedAsync(response.Content, call, cancellationToken);
            if (!StartsLikeJsonObject(body)) throw new IncodeCallException(call, IncodeFailure.BadBody);
            response.Content = Buffered(response.Content, body);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The whole body, read up to the cap whether or not Incode announced its length (chunked).</summary>
    private static async Task<byte[]> ReadCappedAsync(HttpContent content, string call, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var body = new MemoryStream(capacity: (int)(content.Headers.ContentLength ?? 1024));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (body.Length + read > MaxResponseBytes) throw new IncodeCallException(call, IncodeFailure.TooLarge);
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return body.Length == body.Capacity ? body.GetBuffer() : body.ToArray();
    }

    /// <summary>
    /// Every answer this server asks Incode for is a JSON object. An empty 200, a literal null or an
    /// array would otherwise reach a handler as a null record (a 500) or be passed on to the caller as
    /// nothing at all; they are refused here. The rest of the grammar is checked where the body is
    /// read, once, by the client's deserializer, whose refusal is the same 502.
    /// </summary>
    private static bool StartsLikeJsonObject(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) body = body[3..];
        var json = body.TrimStart(" \t\r\n"u8);
        return json.Length > 0 && json[0] == (byte)'{';
    }

    private static ByteArrayContent Buffered(HttpContent original, byte[] body)
    {
        var buffered = new ByteArrayContent(body);
        foreach (var (name, values) in original.Headers) buffered.Headers.TryAddWithoutValidation(name, values);
        original.Dispose();
        return buffered;
    }
}
