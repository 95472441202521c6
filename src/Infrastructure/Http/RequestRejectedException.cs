namespace IncodeSlices.Infrastructure.Http;

/// <summary>
/// The caller's request cannot be served as asked (an unknown session id, say): answered
/// <c>400 {"success":false,"error":Message}</c>. For what a validator can tell from the request alone,
/// use the validator; this is for what only the handler finds out.
/// </summary>
public sealed class RequestRejectedException(string message) : Exception(message);
