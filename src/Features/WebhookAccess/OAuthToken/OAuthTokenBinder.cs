using System.Text;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace IncodeSlices.Features.WebhookAccess.OAuthToken;

/// <summary>
/// Reads the token request as RFC 6749 has it sent: a form body, and the client's credentials in
/// Basic authentication (section 2.3.1) or, failing that, as <c>client_id</c> and <c>client_secret</c>
/// form fields. FastEndpoints' own binding would read JSON, which this route refuses.
/// </summary>
internal sealed class OAuthTokenBinder : IRequestBinder<OAuthTokenRequest>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async ValueTask<OAuthTokenRequest> BindAsync(BinderContext ctx, CancellationToken ct)
    {
        var http = ctx.HttpContext;
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var form = await ReadFormAsync(http.Request, ct);
        // Section 3.2: a parameter sent twice makes the request invalid.
        if (form is null || form.Any(field => field.Value.Count > 1)) return new OAuthTokenRequest { ClientAddress = address };

        var (clientId, clientSecret) = BasicCredentials(http.Request) ?? (Field(form, "client_id"), Field(form, "client_secret"));
        return new OAuthTokenRequest
        {
            IsForm = true,
            GrantType = Field(form, "grant_type"),
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientAddress = address,
        };
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return null; // past the form reader's limits on keys and values
        }
    }

    private static string? Field(IFormCollection form, string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The Basic credentials; (null, null) when they cannot be read, null when none were sent.</summary>
    private static (string? Id, string? Secret)? BasicCredentials(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count != 1 || authorization[0] is not { } value || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            var decoded = StrictUtf8.GetString(Convert.FromBase64String(value["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon < 0 ? (null, null) : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return (null, null); // not base64, or not UTF-8
        }
    }
}
