using IncodeSlices.Infrastructure.Approvals;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Storage;
using IncodeSlices.Infrastructure.Sessions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>
/// Turns what a handler could not do into the contract's error answers. Only the exception's type
/// and our own message are logged: exception messages from lower layers can quote URLs or bodies.
/// </summary>
internal sealed class ErrorExceptionHandler(ILogger<ErrorExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, error) = Describe(exception);
        if (status >= 500)
            logger.LogWarning("{Method} {Path} answered {Status}: {Error} ({Exception})",
                context.Request.Method, context.Request.Path.Value, status, error, exception.GetType().Name);

        if (context.Response.HasStarted) return true;
        context.Response.Clear();
        await ErrorResults.WriteAsync(context, status, error);
        return true;
    }

    internal static (int Status, string Error) Describe(Exception exception) => exception switch
    {
        _ when IncodeCallException.Find(exception) is { } incode => incode.Failure == IncodeFailure.Timeout
            ? (StatusCodes.Status504GatewayTimeout, incode.Message)
            : (StatusCodes.Status502BadGateway, incode.Message),
        _ when ExceptionChain.Find<AdminTokenUnavailableException>(exception) is { } admin => (StatusCodes.Status503ServiceUnavailable, admin.Message),
        _ when ExceptionChain.Find<RequestRejectedException>(exception) is { } rejected => (StatusCodes.Status400BadRequest, rejected.Message),
        SessionStoreException => (StatusCodes.Status503ServiceUnavailable, "Session could not be stored"),
        ApprovalInProgressException e => (StatusCodes.Status503ServiceUnavailable, e.Message),
        RecordStoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Storage is unavailable; retry later"),
        BadHttpRequestException e => (e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? "Request body is larger than 64 KB" : "Bad request"),
        _ => (StatusCodes.Status500InternalServerError, "Internal server error"),
    };
}
