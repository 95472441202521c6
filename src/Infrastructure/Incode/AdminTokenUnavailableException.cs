using IncodeSlices.Infrastructure.Errors;

namespace IncodeSlices.Infrastructure.Incode;

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
