using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>The executive (admin) token that admin calls send as <c>X-Incode-Hardware-Id</c>.</summary>
public interface IAdminTokenProvider
{
    /// <summary>The current admin token, or <see cref="AdminTokenUnavailableException"/> when there is none.</summary>
    ValueTask<string> GetTokenAsync(CancellationToken ct);

    /// <summary>
    /// Incode answered 401 to a call that carried <paramref name="rejected"/>. Gives the token to send
    /// the call once more with, or null when there is none: <paramref name="rejected"/> is not an admin
    /// token this provider handed out (a session token, say), or the token cannot be renewed.
    /// </summary>
    ValueTask<string?> ReplaceRejectedAsync(string rejected, CancellationToken ct);
}

/// <summary>No admin token can be had; the message is shown to the caller, so it never quotes Incode.</summary>
public sealed class AdminTokenUnavailableException(string message) : Exception(message);

/// <summary>The token as configured in ADMIN_TOKEN (Incode issues it for 24 hours); when it expires, a person logs in again.</summary>
internal sealed class ConfiguredAdminTokenProvider(IOptions<IncodeOptions> options) : IAdminTokenProvider
{
    public ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        var token = options.Value.AdminToken;
        return string.IsNullOrWhiteSpace(token)
            ? throw new AdminTokenUnavailableException("ADMIN_TOKEN is not configured")
            : ValueTask.FromResult(token);
    }

    public ValueTask<string?> ReplaceRejectedAsync(string rejected, CancellationToken ct) => ValueTask.FromResult<string?>(null);
}
