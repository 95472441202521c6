using System.Buffers;
using System.Text.Json;
using IncodeSlices.Infrastructure.Errors;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>The Content-Type a POST arrived with, before it was declared JSON.</summary>
internal sealed record SentContentType(string? Value);

internal sealed class JsonBodyMiddleware(RequestDelegate next)
{
    internal const int MaxBodyBytes = 64 * 1024;
    // A key given twice could mean one thing to a validator and another to a handler; JsonObject throws on it.
    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 64, AllowDuplicateProperties = false };
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

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
            await ErrorAnswers.WriteAsync(context, ErrorAnswers.BodyTooLarge);
            return;
        }

        var body = await ReadLimitedAsync(request.Body, context.RequestAborted);
        if (body is null)
        {
            await ErrorAnswers.WriteAsync(context, ErrorAnswers.BodyTooLarge);
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<FormBody>() is not null)
        {
            // RFC 9110 section 8.3: a body sent without a type may be taken as octet-stream.
            request.ContentType = context.Features.Get<SentContentType>()?.Value ?? "application/octet-stream";
            request.Body = new MemoryStream(body, writable: false);
            request.ContentLength = body.Length;
            await next(context);
            return;
        }

        var json = body.AsMemory();
        if (json.Span.StartsWith(Utf8Bom)) json = json[Utf8Bom.Length..];
        if (!IsJsonObject(json))
        {
            await ErrorAnswers.WriteAsync(context, ErrorAnswers.InvalidJsonBody);
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
            if (document.RootElement.ValueKind != JsonValueKind.Object) return false;
            ReadEveryString(document.RootElement);
            return true;
        }
        catch (JsonException)
        {
            return false; // also nesting past MaxDepth
        }
        catch (InvalidOperationException)
        {
            return false; // a string of invalid UTF-8 or a lone surrogate escape (\ud800)
        }
    }

    /// <summary>
    /// The parser checks the grammar, not the text inside strings: invalid UTF-8 and lone surrogate
    /// escapes only fail when a string is read, which would be deep inside a handler, as a 500.
    /// Reading each one here (InvalidOperationException) turns them into the 400 they are.
    /// </summary>
    private static void ReadEveryString(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) ReadEveryString(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadEveryString(property.Value);
                }
                break;
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
