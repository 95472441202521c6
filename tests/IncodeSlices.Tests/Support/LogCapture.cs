using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// Every Serilog event the server emits. HostLogging reads sinks from the services, so registering
/// this as an <see cref="ILogEventSink"/> singleton is enough (<see cref="TestApp"/> does).
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> LogEvents => _events.ToArray();

    /// <summary>Each event's message as a console would show it, with its exception.</summary>
    public IReadOnlyList<string> Lines => _events.Select(e =>
        e.RenderMessage(CultureInfo.InvariantCulture) + (e.Exception is { } x ? "\n" + x : "")).ToList();

    /// <summary>Each event whole: level, message, every property (also those the template does not show), exception.</summary>
    public IReadOnlyList<string> Events => _events.Select(e => string.Join(" | ",
        e.Level,
        e.RenderMessage(CultureInfo.InvariantCulture),
        string.Join("; ", e.Properties.Select(p => $"{p.Key}={p.Value}")),
        e.Exception?.ToString() ?? "")).ToList();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public void Clear() => _events.Clear();

    /// <summary>Fails naming the event, never the secret (the test output is a log of its own).</summary>
    public void AssertNoneContains(params string[] secrets)
    {
        foreach (var line in Events)
            for (var i = 0; i < secrets.Length; i++)
                Assert.False(line.Contains(secrets[i], StringComparison.Ordinal), $"secret #{i} logged in: {line.Replace(secrets[i], "***")}");
    }
}
