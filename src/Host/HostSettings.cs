using System.Globalization;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Host;

internal static class HostSettings
{
    /// <summary>PORT, 3000 when unset. Kestrel would read "http://0.0.0.0:abc" as port 80 and start anyway.</summary>
    public static int Port(IConfiguration configuration) =>
        int.TryParse(configuration["PORT"] ?? "3000", NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new OptionsValidationException("PORT", typeof(int), ["PORT must be a port number from 1 to 65535."]);

    /// <summary>PORT on every interface, and METRICS_PORT beside it when set.</summary>
    public static string[] Urls(int port, int? metricsPort) =>
        metricsPort is { } metrics ? [$"http://0.0.0.0:{port}", $"http://0.0.0.0:{metrics}"] : [$"http://0.0.0.0:{port}"];
}
