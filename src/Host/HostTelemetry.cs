using System.Diagnostics;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IncodeSlices.Host;

internal static class HostTelemetry
{
    /// <summary>
    /// What an exporter reads: every instrument of the server's own meter, and of ASP.NET Core's and
    /// HttpClient's only the request durations (each a measurement per request or attempt; their
    /// active-request and connection gauges would cost more measurements on every request).
    /// </summary>
    private static readonly (string Meter, string? Instrument)[] Instruments =
    [
        (ServerMetrics.MeterName, null),
        ("Microsoft.AspNetCore.Hosting", "http.server.request.duration"),
        ("System.Net.Http", "http.client.request.duration"),
    ];

    /// <summary>
    /// The server's meter always (slices and infrastructure measure through it); OpenTelemetry only when
    /// something exports. With neither METRICS_PORT nor OTLP set, no provider is built and nothing listens.
    /// </summary>
    public static IServiceCollection AddServerTelemetry(this IServiceCollection services, TelemetrySettings settings)
    {
        services.AddSingleton<ServerMetrics>();
        if (!settings.Exports) return services;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName));

        // Enabled for the meters this host's IMeterFactory made (Local), not by name alone: by name the
        // provider would also count the meters of any other host in the process (tests run several).
        services.AddMetrics(metrics =>
        {
            foreach (var (meter, instrument) in Instruments) metrics.EnableMetrics(meter, instrument, listenerName: null, MeterScope.Local);
        });
        telemetry.WithMetrics(metrics =>
        {
            // An exemplar (the trace of one measurement) would be kept for every traced request; the
            // Prometheus text format does not even carry them.
            metrics.SetExemplarFilter(ExemplarFilterType.AlwaysOff);
            if (settings.MetricsPort is not null) metrics.AddPrometheusExporter();
            if (settings.ExportsOtlp) metrics.AddOtlpExporter();
        });

        if (settings.ExportsOtlp)
            telemetry.WithTracing(tracing => tracing
                // ASP.NET Core's own activity source for the request span, not the instrumentation
                // package: that one subscribes to ASP.NET Core's DiagnosticListener, which then starts an
                // Activity for every request, sampled or not, and HttpClient one more per attempt. Through
                // the source the sampler decides first, and a request left out costs one empty Activity.
                .AddSource(ServerTracing.SourceName, RequestSpans.SourceName)
                .AddProcessor(provider => new RequestSpans(provider.GetRequiredService<ActivitySource>()))
                .AddOtlpExporter());
        return services;
    }

    /// <summary>
    /// A traced request's span gets its tags here, where the HttpContext is (ASP.NET Core 10 leaves them
    /// to instrumentation): method, scheme and path, then its route (<c>http.route</c>, and the span
    /// named "GET /route"), its status, and an error status from 500 on unless the error handler gave
    /// one in our words. No query: ids travel there. A request not traced costs a feature lookup.
    /// </summary>
    public static void UseRequestSpans(this WebApplication app, TelemetrySettings settings)
    {
        if (!settings.ExportsOtlp) return;
        app.Use(next => context =>
            context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } span
                ? RequestSpans.TagAfter(next(context), context, span)
                : next(context));
    }

    /// <summary>
    /// METRICS_PORT answers /metrics and nothing else, and only it does: requests are told apart by the
    /// port their connection came in on, not by the Host header, which a caller of the public port sets
    /// as it likes. On the public port /metrics is an unknown route like any other.
    /// </summary>
    public static void UseMetricsPort(this WebApplication app, TelemetrySettings settings)
    {
        if (settings.MetricsPort is not { } port) return;
        app.MapWhen(context => context.Connection.LocalPort == port, metrics => metrics
            .Use((context, next) =>
            {
                // Scrapes are not requests to trace: the exporter skips an activity not recorded.
                if (context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity)
                    activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                return next(context);
            })
            .UseOpenTelemetryPrometheusScrapingEndpoint("/metrics")
            .Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }));
    }
}
