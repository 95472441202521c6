namespace IncodeSlices.Infrastructure;

/// <summary>
/// An exception and the ones inside it. Refit wraps what the Incode clients' handlers throw
/// (ApiRequestException), so a failure raised there reaches callers as an inner exception.
/// </summary>
public static class ExceptionChain
{
    public static IEnumerable<Exception> Of(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException) yield return e;
    }
}
