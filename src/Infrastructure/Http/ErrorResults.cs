using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>Writes the contract's error bodies from middleware, where no endpoint is there to send them.</summary>
internal static class ErrorResults
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, int status, string error) =>
        WriteJsonAsync(context, status, ErrorBody.Of(error));

    public static async Task WriteJsonAsync<T>(HttpContext context, int status, T body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Web, context.RequestAborted);
    }
}
