namespace IncodeSlices.Infrastructure.Errors;

/// <summary>
/// The caller's request cannot be served as asked, for a reason only the handler finds out (an
/// unknown session id, say): a 400 with <paramref name="reason"/>. What a validator can tell from the
/// request alone belongs in the validator.
/// </summary>
public sealed class RequestRejectedException(string reason) : Exception(reason);

/// <summary>The request cannot be served right now, for <paramref name="reason"/>; the same request may succeed later (503).</summary>
public sealed class TryAgainLaterException(string reason) : Exception(reason);
