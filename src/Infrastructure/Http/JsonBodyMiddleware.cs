using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>
/// Every POST body is JSON, whatever its Content-Type says: the Incode browser samples send
/// <c>fetch(url, {method: 'POST', body: JSON.stringify(x)})</c>, i.e. <c>text/plain;charset=UTF-8</c>,
/// and FastEndpoints would answer those 415. The body is read once (up to the size limit), must be
/// a JSON object, and is handed on as <c>application/json</c>.
/// </summary>
internal sealed class JsonBodyMiddleware(RequestDelegate next)
{
    internal const int MaxBodyBytes = 64 * 1024;
    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 64 };
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Runs before routing: a POST body is declared JSON whatever it says, so that routing matches it.</summary>
    public static Task DeclareJson(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method)) context.Request.ContentType = "application/json; charset=utf-8";
        return next(context);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            await ErrorResults.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body is larger than 64 KB");
            return;
        }

        var body = await ReadLimitedAsync(request.Body, context.RequestAborted);
        if (body is null)
        {
            await ErrorResults.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body is larger than 64 KB");
            return;
        }

        var json = body.AsMemory();
        if (json.Span.StartsWith(Utf8Bom)) json = json[Utf8Bom.Length..];
        if (!IsJsonObject(json))
        {
            await ErrorResults.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid JSON body");
            return;
        }

        request.Body = new MemoryStream(body, json.Length == body.Length ? 0 : Utf8Bom.Length, json.Length, writable: false);
        request.ContentLength = json.Length;
        await next(context);
    }

    private static bool IsJsonObject(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Parsing);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false; // also invalid UTF-8 and nesting past MaxDepth
        }
    }

    /// <summary>The whole body, or null as soon as it passes <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken ct)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var copy = new MemoryStream();
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (copy.Length + read > MaxBodyBytes) return null;
                copy.Write(chunk, 0, read);
            }
            return copy.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
