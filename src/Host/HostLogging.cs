using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace IncodeSlices.Host;

/// <summary>
/// Serilog as this server uses it: one line per request, our own events, and the framework's only
/// when they warn. HttpClient's own request logging is kept quiet because its lines carry full
/// upstream URLs and, at trace level, headers. Lines are text, or with LOG_FORMAT=json one JSON
/// object each (Serilog's compact format) with the trace and span ids of the request (@tr, @sp).
/// </summary>
internal static class HostLogging
{
    public static void Configure(LoggerConfiguration logger, IServiceProvider services, TelemetrySettings settings) => logger
        .MinimumLevel.Is(settings.LogLevel)
        .MinimumLevel.Override(HostingDiagnostics, settings.JsonLogs ? LogEventLevel.Warning : Off)
        .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
        .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
        // Polly reports each failed attempt with the upstream's exception (host, port, stack); the
        // outcome that matters is logged once by the error handler, in words of our own.
        .MinimumLevel.Override("Polly", LogEventLevel.Fatal)
        // Start-up failures are reported by Program in one line, without the host's stack trace.
        .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", Off)
        .Enrich.FromLogContext()
        .Enrich.With<EscapedControlCharacters>()
        .ReadFrom.Services(services) // lets tests add a sink of their own
        .WriteTo.Sink(new ConsoleLines(settings.JsonLogs ? new RenderedCompactJsonFormatter() : TextLines), ConsoleLines.Batching);

    /// <summary>
    /// ASP.NET Core starts an Activity for every request while this category's logger is on at any
    /// level, traced or not. Nothing here writes this category (requests are logged by Serilog's
    /// middleware); its logger is on only for JSON lines, whose trace ids need that Activity. Exported
    /// spans do not: the tracer listens to ASP.NET Core's activity source, and its sampler decides.
    /// </summary>
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private const LogEventLevel Off = LogEventLevel.Fatal + 1;

    private static readonly MessageTemplateTextFormatter TextLines =
        new("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Method, path without the query string (it can carry ids), status and time: nothing else.</summary>
    public static void ConfigureRequestLogging(RequestLoggingOptions options, IServiceProvider services)
    {
        // Without it the middleware writes to the static Log.Logger, which this host leaves silent.
        options.Logger = services.GetRequiredService<Serilog.ILogger>();
        options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        options.IncludeQueryInRequestPath = false;
    }
}
