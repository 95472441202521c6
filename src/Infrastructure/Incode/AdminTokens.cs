using IncodeSlices.Infrastructure.Errors;
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

public enum AdminTokenProblem
{
    /// <summary>Neither ADMIN_EMAIL and ADMIN_PASSWORD nor ADMIN_TOKEN is set.</summary>
    NotConfigured,
    /// <summary>The executive login failed, or is paused after failing.</summary>
    LoginFailed,
}

/// <summary>No admin token can be had, so no admin call can be made.</summary>
public sealed class AdminTokenUnavailableException(AdminTokenProblem problem) : AnsweredException(
    problem == AdminTokenProblem.NotConfigured ? ErrorAnswers.AdminTokenNotConfigured : ErrorAnswers.AdminLoginFailed,
    $"No admin token: {problem}")
{
    public AdminTokenProblem Problem { get; } = problem;
}

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
