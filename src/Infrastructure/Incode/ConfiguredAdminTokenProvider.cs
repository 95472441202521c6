using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>The token as configured in ADMIN_TOKEN (Incode issues it for 24 hours); when it expires, a person logs in again.</summary>
internal sealed class ConfiguredAdminTokenProvider(IOptions<IncodeOptions> options) : IAdminTokenProvider
{
    public ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        var token = options.Value.AdminToken;
        return string.IsNullOrWhiteSpace(token)
            ? throw new AdminTokenUnavailableException(AdminTokenProblem.NotConfigured)
            : ValueTask.FromResult(token);
    }

    public ValueTask<string?> ReplaceRejectedAsync(string rejected, CancellationToken ct) => ValueTask.FromResult<string?>(null);
}
