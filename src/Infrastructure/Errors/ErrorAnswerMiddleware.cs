using System.Diagnostics;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Errors;

public static class ErrorAnswerMiddleware
{
    /// <summary>
    /// Answers what a handler could not do, as <see cref="ErrorAnswers"/> decides. Only our own words
    /// and the exception's type are logged, and recorded on the request's span: messages from lower
    /// layers can quote URLs or bodies.
    /// </summary>
    public static IApplicationBuilder UseErrorAnswers(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorAnswerMiddleware));
        return app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // The middleware's own log line carries the exception whole, stack and messages included.
            SuppressDiagnosticsCallback = _ => true,
            ExceptionHandler = async context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()!.Error;
                var answer = ErrorAnswers.For(exception);
                if (answer.Status >= 500)
                {
                    logger.LogWarning("{Method:l} {Path:l} answered {Status}: {Error:l} ({Reason:l})", context.Request.Method, context.Request.Path.Value,
                        answer.Status, answer.Error, IncodeCallException.Find(exception)?.Reason ?? exception.GetType().Name);
                    ServerTracing.Failed(Activity.Current, answer.Error, exception);
                }
                await (ErrorAnswers.Find(exception) is { } answered ? answered.WriteAsync(context) : ErrorAnswers.WriteAsync(context, answer));
            },
        });
    }
}
