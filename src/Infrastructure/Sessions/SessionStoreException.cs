using IncodeSlices.Infrastructure.Errors;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>A session could not be stored; the caller gets an error instead of a uniqueId that cannot resume.</summary>
public sealed class SessionStoreException(string? detail = null, Exception? inner = null)
    : AnsweredException(ErrorAnswers.SessionNotStored, detail, inner);
