using System.Diagnostics;

namespace IncodeSlices.Infrastructure.Telemetry;

/// <summary>
/// The spans this server makes of its own (Incode calls, store writes), under the request's span. A
/// span starts only when a tracer listens (OTLP export), so without one this costs a check.
/// </summary>
public static class ServerTracing
{
    public const string SourceName = "IncodeSlices";

    public static readonly ActivitySource Source = new(SourceName);

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
