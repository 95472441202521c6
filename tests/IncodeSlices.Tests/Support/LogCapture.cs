using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace IncodeSlices.Tests.Support;

/// <summary>Every log event the server writes, as rendered text; registered as an <see cref="ILogEventSink"/> service.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public void Emit(LogEvent logEvent) =>
        _lines.Enqueue(logEvent.RenderMessage(CultureInfo.InvariantCulture) + (logEvent.Exception is { } e ? "\n" + e : ""));

    /// <summary>Fails naming the line, never the secret (the test output is a log of its own).</summary>
    public void AssertNoneContains(params string[] secrets)
    {
        foreach (var line in Lines)
            for (var i = 0; i < secrets.Length; i++)
                Assert.False(line.Contains(secrets[i], StringComparison.Ordinal), $"secret #{i} logged in: {line.Replace(secrets[i], "***")}");
    }
}
