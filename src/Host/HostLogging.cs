using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;

namespace IncodeSlices.Host;

/// <summary>
/// Serilog as this server uses it: one line per request, our own events, and the framework's only
/// when they warn. HttpClient's own request logging is kept quiet because its lines carry full
/// upstream URLs and, at trace level, headers.
/// </summary>
internal static class HostLogging
{
    public static void Configure(LoggerConfiguration logger, IServiceProvider services) => logger
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
        .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
        .MinimumLevel.Override("Polly", LogEventLevel.Warning)
        .Enrich.FromLogContext()
        .ReadFrom.Services(services) // lets tests add a sink of their own
        .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Method, path without the query string (it can carry ids), status and time: nothing else.</summary>
    public static void ConfigureRequestLogging(RequestLoggingOptions options)
    {
        options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        options.IncludeQueryInRequestPath = false;
    }
}
