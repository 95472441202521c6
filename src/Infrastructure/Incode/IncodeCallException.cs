using Refit;

namespace IncodeSlices.Infrastructure.Incode;

public enum IncodeFailure
{
    /// <summary>Incode answered with a non-2xx status.</summary>
    Status,
    /// <summary>Incode answered 2xx, but not with the JSON this server needs.</summary>
    BadBody,
    /// <summary>No answer could be had: refused, reset, or the connection broke mid-body.</summary>
    Unreachable,
    /// <summary>No answer within the configured timeout.</summary>
    Timeout,
}

/// <summary>
/// An Incode call that did not give this server what it needs. The message names the call by its
/// path (never the full URL, a header or Incode's body) because it is shown to the caller.
/// </summary>
public sealed class IncodeCallException(string call, IncodeFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Call { get; } = call;
    public IncodeFailure Failure { get; } = failure;
    public int? UpstreamStatus { get; private init; }

    public static IncodeCallException FromStatus(string call, int status) =>
        new(call, IncodeFailure.Status, $"Incode {call} failed with status {status}") { UpstreamStatus = status };

    public static IncodeCallException FromBadBody(string call, string what, Exception? inner = null) =>
        new(call, IncodeFailure.BadBody, $"Incode {call} answered {what}", inner);

    public static IncodeCallException MissingField(string call, string field) =>
        FromBadBody(call, $"without {field}");

    public static IncodeCallException Unreachable(string call, Exception? inner = null) =>
        new(call, IncodeFailure.Unreachable, $"Incode {call} could not be reached", inner);

    public static IncodeCallException TimedOut(string call, Exception? inner = null) =>
        new(call, IncodeFailure.Timeout, $"Incode {call} did not answer in time", inner);

    /// <summary>
    /// The Incode failure behind an exception thrown by an <see cref="IIncodeApi"/> call, if it is one.
    /// Refit wraps what the client's handlers throw (ApiRequestException), and reports a 2xx body it
    /// cannot deserialize as an ApiException; both are searched for here, so callers need not know Refit.
    /// </summary>
    public static IncodeCallException? Find(Exception exception)
    {
        foreach (var e in ExceptionChain.Of(exception))
        {
            switch (e)
            {
                case IncodeCallException incode:
                    return incode;
                case ApiException api:
                    return FromBadBody(api.RequestMessage.RequestUri?.AbsolutePath ?? "call", "with a body that is not the JSON expected", api);
            }
        }
        return null;
    }
}
