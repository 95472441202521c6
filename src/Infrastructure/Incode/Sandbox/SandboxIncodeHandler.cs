using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace IncodeSlices.Infrastructure.Incode.Sandbox;

/// <summary>
/// The Incode client's primary handler in sandbox mode: the request goes through the same handler
/// chain as a real one (failure mapping, resilience, headers), then is answered by
/// <see cref="SandboxIncode"/> instead of the network.
/// </summary>
internal sealed class SandboxIncodeHandler(SandboxIncode incode) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("An Incode call without a URI");
        var query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var call = new SandboxCall(request.Method.Method, uri.AbsolutePath, query,
            Header(request, "x-api-key"), Header(request, "X-Incode-Hardware-Id"), await ReadBodyAsync(request, cancellationToken));

        var answer = await incode.AnswerAsync(call, cancellationToken);
        return new HttpResponseMessage((HttpStatusCode)answer.Status)
        {
            RequestMessage = request,
            Content = new StringContent(answer.Body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<JsonObject?> ReadBodyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.Content is null) return null;
        var text = await request.Content.ReadAsStringAsync(ct);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
