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
