using IncodeSlices.Infrastructure.Errors;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>The store could not be read or written; the caller answers 503 and nothing half-done is left.</summary>
public sealed class RecordStoreUnavailableException(string message, Exception? inner = null)
    : AnsweredException(ErrorAnswers.StoreUnavailable, message, inner);
