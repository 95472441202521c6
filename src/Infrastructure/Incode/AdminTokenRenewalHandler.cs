using System.Net;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Sends an admin call once more, with a renewed token, when Incode answers it 401: the token may
/// have expired early or been revoked, and the caller should not pay for that. Only calls carrying
/// a token the provider handed out qualify, so a session call's 401 passes through untouched. It
/// sits inside <see cref="IncodeFailureHandler"/>, to see the raw 401, and outside the resilience
/// pipeline, so the second send gets attempts and timeouts of its own; Refit's buffered bodies and
/// the empty body of reads can be sent twice.
/// </summary>
internal sealed class AdminTokenRenewalHandler(IAdminTokenProvider adminToken) : DelegatingHandler
{
    private const string HardwareId = "X-Incode-Hardware-Id";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized
            || !request.Headers.TryGetValues(HardwareId, out var sent) || sent.ToArray() is not [var rejected])
            return response;

        string? renewed;
        try
        {
            renewed = await adminToken.ReplaceRejectedAsync(rejected, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
        if (renewed is null) return response;

        response.Dispose();
        request.Headers.Remove(HardwareId);
        request.Headers.TryAddWithoutValidation(HardwareId, renewed);
        return await base.SendAsync(request, cancellationToken);
    }
}
