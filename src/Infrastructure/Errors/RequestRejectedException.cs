namespace IncodeSlices.Infrastructure.Errors;

/// <summary>
/// The caller's request cannot be served as asked, for a reason only the handler finds out (an
/// unknown session id, say): a 400 with <paramref name="reason"/>. What a validator can tell from the
/// request alone belongs in the validator.
/// </summary>
public sealed class RequestRejectedException(string reason) : AnsweredException(ErrorAnswers.Rejected(reason));
