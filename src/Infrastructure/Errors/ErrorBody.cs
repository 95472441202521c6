namespace IncodeSlices.Infrastructure.Errors;

/// <summary>The one error shape of every route; the Incode frontends show <c>error</c> as it is.</summary>
public sealed record ErrorBody(bool Success, string Error)
{
    public static ErrorBody Of(string error) => new(false, error);
}
