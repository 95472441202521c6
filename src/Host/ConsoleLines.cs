using System.Text;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace IncodeSlices.Host;

/// <summary>
/// Log lines to standard output, a batch at a time. Serilog hands the batches over on a background
/// task of its own; each is formatted into one buffer and written with one call. Written line by
/// line, each event cost the request thread a hand-over to a waiting writer thread, and that thread
/// a system call, which on a one-core container took a share of every request's CPU.
/// </summary>
internal sealed class ConsoleLines(ITextFormatter formatter) : IBatchedLogEventSink, IDisposable
{
    private readonly StreamWriter _output = new(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024)
    {
        AutoFlush = false,
    };

    /// <summary>How long a line may wait for others to share its write; the first of a quiet spell goes at once.</summary>
    public static readonly BatchingOptions Batching = new()
    {
        BufferingTimeLimit = TimeSpan.FromMilliseconds(100),
        EagerlyEmitFirstEvent = true,
        BatchSizeLimit = 1000,
        QueueLimit = 100_000, // past that, lines are dropped rather than requests slowed
    };

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch) formatter.Format(logEvent, _output);
        _output.Flush();
        return Task.CompletedTask;
    }

    public void Dispose() => _output.Dispose();
}
