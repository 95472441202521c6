using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>The executive (admin) token that admin calls send as <c>X-Incode-Hardware-Id</c>.</summary>
public interface IAdminTokenProvider
{
    /// <summary>The current admin token, or <see cref="AdminTokenUnavailableException"/> when there is none.</summary>
    ValueTask<string> GetTokenAsync(CancellationToken ct);
}

public sealed class AdminTokenUnavailableException(string message) : Exception(message);

/// <summary>The token as configured in ADMIN_TOKEN (Incode issues it for 24 hours).</summary>
internal sealed class ConfiguredAdminTokenProvider(IOptions<IncodeOptions> options) : IAdminTokenProvider
{
    public ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        var token = options.Value.AdminToken;
        return string.IsNullOrWhiteSpace(token)
            ? throw new AdminTokenUnavailableException("ADMIN_TOKEN is not configured")
            : ValueTask.FromResult(token);
    }
}
