namespace IncodeSlices.Host;

/// <summary>
/// Where the server's metrics, traces and logs go: a Prometheus scrape endpoint on METRICS_PORT, OTLP
/// to OTEL_EXPORTER_OTLP_ENDPOINT, and LOG_FORMAT and LOG_LEVEL for the console. Each is off unless set.
/// </summary>
internal sealed record TelemetrySettings(int? MetricsPort, bool ExportsOtlp, bool JsonLogs, Serilog.Events.LogEventLevel LogLevel, string ServiceName)
{
    /// <summary>Something reads what the server measures; otherwise OpenTelemetry is not even set up.</summary>
    public bool Exports => MetricsPort is not null || ExportsOtlp;

    public static TelemetrySettings Of(ServerOptions server) => new(
        server.MetricsPort,
        ExportsOtlp: !string.IsNullOrEmpty(server.OtlpEndpoint) && Uri.TryCreate(server.OtlpEndpoint, UriKind.Absolute, out _),
        JsonLogs: string.Equals(server.LogFormat.Trim(), "json", StringComparison.OrdinalIgnoreCase),
        LogLevels.GetValueOrDefault(server.LogLevel.Trim(), Serilog.Events.LogEventLevel.Information),
        server.ServiceName);

    internal static readonly Dictionary<string, Serilog.Events.LogEventLevel> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["debug"] = Serilog.Events.LogEventLevel.Debug,
        ["information"] = Serilog.Events.LogEventLevel.Information,
        ["warning"] = Serilog.Events.LogEventLevel.Warning,
        ["error"] = Serilog.Events.LogEventLevel.Error,
    };
}
