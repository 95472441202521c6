using IncodeSlices.Infrastructure.Errors;
using Refit;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// An Incode call that did not give this server what it needs: which call (by its path, never the
/// full URL), how it failed, and the status or missing field: a 502 or 504 naming the call, never
/// quoting Incode's body.
/// </summary>
public sealed class IncodeCallException(string call, IncodeFailure failure, Exception? inner = null, int? status = null, string? field = null)
    : AnsweredException(ErrorAnswers.IncodeFailed(call, failure, status, field), $"Incode {call}: {failure}", inner)
{
    public string Call { get; } = call;
    public IncodeFailure Failure { get; } = failure;
    public int? Status { get; } = status;
    public string? Field { get; } = field;

    /// <summary>
    /// Why no answer could be had, for the log (never for the caller): a refused connection, a name
    /// that does not resolve, TLS, a reset. Null for failures that are answers.
    /// </summary>
    public string? Reason => Failure switch
    {
        IncodeFailure.Timeout => "no answer in time",
        IncodeFailure.Unreachable => Unreachable(InnerException),
        _ => null,
    };

    private static string Unreachable(Exception? inner)
    {
        for (var e = inner; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }:
                    return "connection refused";
                case System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData }:
                    return "host name not resolved";
                case System.Security.Authentication.AuthenticationException:
                    return "TLS handshake failed";
                case HttpRequestException { HttpRequestError: var error } when error != HttpRequestError.Unknown:
                    var named = error switch
                    {
                        HttpRequestError.NameResolutionError => "host name not resolved",
                        HttpRequestError.SecureConnectionError => "TLS handshake failed",
                        HttpRequestError.ConnectionError => null, // the socket's own error, below, says which
                        HttpRequestError.ResponseEnded => "connection closed before the answer ended",
                        _ => $"HTTP error: {error}",
                    };
                    if (named is not null) return named;
                    break;
                case Polly.CircuitBreaker.BrokenCircuitException:
                    return "circuit open after repeated failures";
            }
        }
        return inner is null ? "unreachable" : $"connection failed ({inner.GetType().Name})";
    }

    /// <summary>How the call failed, in the words metrics and traces use: <c>status_5xx</c>, <c>timeout</c>, <c>bad_body</c>…</summary>
    public string Outcome => Failure switch
    {
        IncodeFailure.Status => Status switch
        {
            >= 500 => "status_5xx",
            >= 400 => "status_4xx",
            >= 300 => "status_3xx",
            _ => "status_other",
        },
        IncodeFailure.BadBody => "bad_body",
        IncodeFailure.MissingField => "missing_field",
        IncodeFailure.TooLarge => "too_large",
        IncodeFailure.Unreachable => "unreachable",
        _ => "timeout",
    };

    public static IncodeCallException FromStatus(string call, int status) => new(call, IncodeFailure.Status, status: status);

    public static IncodeCallException MissingField(string call, string field) => new(call, IncodeFailure.MissingField, field: field);

    /// <summary>
    /// The Incode failure behind an exception thrown by an Incode client call, if it is one. Refit
    /// wraps what the client's handlers throw (ApiRequestException), and reports a 2xx body it
    /// cannot deserialize as an ApiException; both are looked through here, so callers need not know Refit.
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
                    return new IncodeCallException(api.RequestMessage.RequestUri?.AbsolutePath ?? "call", IncodeFailure.BadBody, api);
            }
        }
        return null;
    }
}
