using System.Net;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Adds the executive token to every call of the admin client, and sends a call once more with a
/// renewed token when Incode answers it 401: the token may have expired early or been revoked, and
/// the caller should not pay for that. It sits inside <see cref="IncodeResponseHandler"/>, to see the
/// raw 401, and outside the resilience pipeline, so the second send gets attempts and timeouts of
/// its own; Refit's buffered bodies and the empty body of reads can be sent twice.
/// </summary>
internal sealed class AdminTokenHandler(IAdminTokenProvider adminToken) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await adminToken.GetTokenAsync(cancellationToken);
        Carry(request, token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        string? renewed;
        try
        {
            renewed = await adminToken.ReplaceRejectedAsync(token, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
        if (renewed is null) return response;

        response.Dispose();
        Carry(request, renewed);
        return await base.SendAsync(request, cancellationToken);
    }

    private static void Carry(HttpRequestMessage request, string token)
    {
        request.Headers.Remove(IncodeHeaders.HardwareId);
        request.Headers.TryAddWithoutValidation(IncodeHeaders.HardwareId, token);
    }
}
