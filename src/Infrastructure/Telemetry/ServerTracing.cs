using System.Diagnostics;
using System.Globalization;

namespace IncodeSlices.Infrastructure.Telemetry;

/// <summary>
/// The spans this server makes of its own (Incode calls, their attempts, store writes), under the
/// request's span. A span starts only when a tracer listens (OTLP export) and samples the request, so
/// otherwise this costs a check. Spans are started under a fixed name and named once they exist:
/// the name of a span nobody samples is never built.
/// </summary>
public static class ServerTracing
{
    public const string SourceName = "IncodeSlices";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// One attempt at an Incode call, as a client span named by method and path ("GET /omni/start"),
    /// with the URL that was called minus its query (interview ids travel there) and user information.
    /// HttpClient's own attempt activity is off in this server (no trace context goes to Incode), so
    /// this is the span that shows retries.
    /// </summary>
    public static Activity? StartAttempt(HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } uri) return null;
        var span = Source.StartActivity("Incode attempt", ActivityKind.Client);
        if (span is null) return null;
        var method = request.Method.Method;
        var path = uri.AbsolutePath;
        span.DisplayName = $"{method} {path}";
        return span.SetTag("http.request.method", method)
            .SetTag("server.address", uri.Host)
            .SetTag("server.port", uri.Port)
            .SetTag("url.full", $"{uri.Scheme}://{uri.Authority}{path}")
            .SetTag("url.template", path);
    }

    /// <summary>How <paramref name="attempt"/> ended: Incode's status (an error from 400 on), or an exception's type.</summary>
    public static void AttemptEnded(Activity attempt, HttpResponseMessage? response, Exception? exception)
    {
        if (response is not null)
        {
            var status = (int)response.StatusCode;
            attempt.SetTag("http.response.status_code", status);
            if (status >= 400) attempt.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture)).SetStatus(ActivityStatusCode.Error);
        }
        else if (exception is not null)
        {
            attempt.SetTag("error.type", exception.GetType().FullName).SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>
    /// Marks <paramref name="activity"/> failed with <paramref name="description"/>, words of our own, and
    /// records the exception by its type alone: messages from lower layers can quote URLs, hosts or bodies.
    /// </summary>
    public static void Failed(Activity? activity, string description, Exception exception)
    {
        if (activity is not { Recorded: true }) return; // nobody exports it
        activity.SetStatus(ActivityStatusCode.Error, description);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection { ["exception.type"] = exception.GetType().FullName }));
    }
}
