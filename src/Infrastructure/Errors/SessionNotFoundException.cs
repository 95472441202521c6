namespace IncodeSlices.Infrastructure.Errors;

/// <summary>
/// The session is not the caller's to see (another user's, or finished and forgotten): a 404, the same
/// for each, so that the answer tells nothing about sessions that are not the caller's.
/// </summary>
public sealed class SessionNotFoundException(string? detail = null) : AnsweredException(ErrorAnswers.SessionNotFound, detail);
