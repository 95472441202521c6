using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// Every Serilog event the server emits, rendered whole: message, every property (including those the
/// template does not show) and the exception with its inner exceptions. HostLogging reads sinks from
/// the services, so registering this as an <see cref="ILogEventSink"/> singleton is enough.
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> Events => _events.ToArray();

    public void Emit(LogEvent logEvent) => _events.Enqueue(string.Join(" | ",
        logEvent.Level,
        logEvent.RenderMessage(CultureInfo.InvariantCulture),
        string.Join("; ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}")),
        logEvent.Exception?.ToString() ?? ""));
}
