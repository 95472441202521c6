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
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> LogEvents => _events.ToArray();

    /// <summary>Each event as one string: level, message, every property, exception.</summary>
    public IReadOnlyList<string> Events => _events.Select(e => string.Join(" | ",
        e.Level,
        e.RenderMessage(CultureInfo.InvariantCulture),
        string.Join("; ", e.Properties.Select(p => $"{p.Key}={p.Value}")),
        e.Exception?.ToString() ?? "")).ToList();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
