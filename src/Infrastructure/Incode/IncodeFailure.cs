namespace IncodeSlices.Infrastructure.Incode;

public enum IncodeFailure
{
    /// <summary>Incode answered with a non-2xx status.</summary>
    Status,
    /// <summary>Incode answered 2xx, but not with the JSON this server needs.</summary>
    BadBody,
    /// <summary>Incode answered 2xx JSON without a field this server needs.</summary>
    MissingField,
    /// <summary>Incode's answer is larger than this server reads.</summary>
    TooLarge,
    /// <summary>No answer could be had: refused, reset, or the connection broke mid-body.</summary>
    Unreachable,
    /// <summary>No answer within the request's time for Incode.</summary>
    Timeout,
}
