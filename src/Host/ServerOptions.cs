using System.Diagnostics.CodeAnalysis;
using IncodeSlices.Infrastructure.Settings;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Host;

/// <summary>What the host needs before it is built: where it listens and where its telemetry goes.</summary>
public sealed class ServerOptions
{
    /// <summary>Kestrel alone would read "http://0.0.0.0:abc" as port 80 and start anyway.</summary>
    [ConfigurationKeyName("PORT")] public int Port { get; set; } = 3000;

    [ConfigurationKeyName("METRICS_PORT")] public int? MetricsPort { get; set; }

    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")] public string? OtlpEndpoint { get; set; }

    [ConfigurationKeyName("OTEL_SERVICE_NAME")] public string ServiceName { get; set; } = "incodeslices";

    [ConfigurationKeyName("LOG_FORMAT")] public string LogFormat { get; set; } = "text";

    [ConfigurationKeyName("LOG_LEVEL")] public string LogLevel { get; set; } = "information";

    internal static bool IsPort(int port) => port is >= 1 and <= 65535;

    internal static OptionsBuilder<ServerOptions> Validate(OptionsBuilder<ServerOptions> options) => options
        .Validate(o => IsPort(o.Port), "PORT must be a port number from 1 to 65535.")
        .Validate(o => o.MetricsPort is not { } metrics || (IsPort(metrics) && metrics != o.Port),
            "METRICS_PORT must be a port number from 1 to 65535, other than PORT.")
        .Validate(o => string.IsNullOrEmpty(o.OtlpEndpoint)
                || (Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"),
            "OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http or https URL.")
        .Validate(o => o.LogFormat.Trim().ToLowerInvariant() is "text" or "json" or "", "LOG_FORMAT must be text or json.")
        .Validate(o => TelemetrySettings.LogLevels.ContainsKey(o.LogLevel.Trim()) || o.LogLevel.Trim().Length == 0,
            "LOG_LEVEL must be debug, information, warning or error.");

    /// <summary>Read now; a bad value falls back to its default here and is refused at start-up with the rest.</summary>
    [SuppressMessage("Trimming", "IL2026", Justification = "ServerOptions' properties are kept by ReadNow's annotation.")]
    public static ServerOptions Read(IConfiguration configuration)
    {
        var read = SettingsRegistration.ReadNow<ServerOptions>(configuration);
        var defaults = new ServerOptions();
        if (!IsPort(read.Port)) read.Port = defaults.Port;
        if (read.MetricsPort is { } metrics && (!IsPort(metrics) || metrics == read.Port)) read.MetricsPort = null;
        return read;
    }

    /// <summary>PORT on every interface, and METRICS_PORT beside it when set.</summary>
    public string[] Urls() =>
        MetricsPort is { } metrics ? [$"http://0.0.0.0:{Port}", $"http://0.0.0.0:{metrics}"] : [$"http://0.0.0.0:{Port}"];
}
