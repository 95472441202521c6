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
