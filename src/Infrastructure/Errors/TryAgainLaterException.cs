namespace IncodeSlices.Infrastructure.Errors;

/// <summary>The request cannot be served right now; the same request may succeed later (503).</summary>
public sealed class TryAgainLaterException(ErrorAnswer answer) : AnsweredException(answer);
