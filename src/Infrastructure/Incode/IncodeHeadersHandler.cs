using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>The headers every Incode call carries, whoever makes it.</summary>
internal sealed class IncodeHeadersHandler(IOptions<IncodeOptions> options) : DelegatingHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("x-api-key");
        request.Headers.TryAddWithoutValidation("x-api-key", options.Value.ApiKey);
        request.Headers.Remove("api-version");
        request.Headers.TryAddWithoutValidation("api-version", "1.0");

        // Incode's API documents Content-Type: application/json on every call, reads included; a
        // header of that name only travels with content, so a read carries an empty JSON body.
        request.Content ??= new ByteArrayContent([]);
        request.Content.Headers.ContentType ??= Json;
        return base.SendAsync(request, cancellationToken);
    }
}
