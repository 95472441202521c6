using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Infrastructure.Errors;

/// <summary>
/// A failure that knows what the caller is answered: its status and words, one of
/// <see cref="ErrorAnswers"/>. The message may say more, for the log; the answer is what the caller sees.
/// </summary>
public abstract class AnsweredException(ErrorAnswer answer, string? message = null, Exception? inner = null)
    : Exception(message ?? answer.Error, inner)
{
    public ErrorAnswer Answer { get; } = answer;

    /// <summary>Writes the answer: in the error shape, unless the failure's caller expects another (OAuth's).</summary>
    public virtual Task WriteAsync(HttpContext context) => ErrorAnswers.WriteAsync(context, Answer);
}
