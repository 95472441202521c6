using System.Threading.Channels;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// The file store's writes, group-committed on a thread of their own. It takes every record waiting
/// and, for the whole batch at once: writes each to a temporary file, makes their data durable,
/// publishes each under its name if the name is free (<see cref="FileSystemCalls.TryPublish"/>),
/// makes the new names durable, and only then tells the callers. A caller hears only of a record that
/// is on disk, a name is never published over data that is not, and no request thread blocks in
/// file-system calls. Under load batches grow by themselves: what arrives during one batch makes the next.
/// </summary>
internal sealed class FileRecordWriter : IDisposable
{
    private const int MaxBatch = 256;

    private readonly Func<RecordKind, string, bool> _tryDeleteExpired;
    private readonly ILogger _logger;
    private readonly IRecordDurability _durability;
    private readonly ServerMetrics? _metrics;
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new() { SingleReader = true });
    private readonly Thread _thread;
    private readonly Action<Exception>? _failed;

    /// <param name="tryDeleteExpired">Removes the record at a path if it has expired, so that its key is free again.</param>
    /// <param name="failed">Told of each write that fails.</param>
    public FileRecordWriter(Func<RecordKind, string, bool> tryDeleteExpired, ILogger logger, IRecordDurability durability, ServerMetrics? metrics = null,
        Action<Exception>? failed = null)
    {
        _failed = failed;
        _tryDeleteExpired = tryDeleteExpired;
        _logger = logger;
        _durability = durability;
        _metrics = metrics;
        _thread = new Thread(WriteBatches) { IsBackground = true, Name = "Record store writer" };
        _thread.Start();
    }

    /// <summary>True once the record is on disk under <paramref name="target"/>; false when the name is taken.</summary>
    public Task<bool> AddAsync(RecordKind kind, string target, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<bool>(ct);
        var write = new PendingWrite(kind, target, value, ct);
        return _pending.Writer.TryWrite(write)
            ? write.Outcome.Task
            : Task.FromException<bool>(new RecordStoreUnavailableException("The store is shut down"));
    }

    /// <summary>Stops taking writes; those already queued are still written before the thread ends.</summary>
    public void Dispose()
    {
        _pending.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(10));
    }

    private void WriteBatches()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (_pending.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var write)) batch.Add(write);
            _metrics?.StoreBatchWritten(batch.Count);
            try
            {
                Commit(batch);
            }
            catch (Exception ex) // whatever it is, the batch's callers hear of it and the writer lives on
            {
                foreach (var write in batch) Fail(write, ex);
            }
            finally
            {
                foreach (var write in batch) write.Close();
                batch.Clear();
            }
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        var written = batch.Where(Write).ToList();
        if (written.Count == 0) return;

        try
        {
            _durability.FlushFiles(written.Where(w => w.Kind.Durable).Select(w => w.Temporary!.SafeFileHandle).ToList());
        }
        catch (Exception ex)
        {
            foreach (var write in written) Fail(write, ex);
            return;
        }
        foreach (var write in written) write.Close();

        var published = new List<PendingWrite>(written.Count);
        var taken = new List<PendingWrite>();
        foreach (var write in written)
        {
            try
            {
                (Publish(write) ? published : taken).Add(write);
            }
            catch (Exception ex)
            {
                Fail(write, ex);
            }
        }

        try
        {
            // Also the folders of names found taken: their holder may be in this very batch.
            _durability.FlushFolders(published.Concat(taken).Where(w => w.Kind.Durable).Select(w => Path.GetDirectoryName(w.Target)!).Distinct().ToList());
        }
        catch (Exception ex)
        {
            // A caller is never told a record is stored when its name may not be on disk, nor that a
            // key is taken by such a record: the batch's names are taken back.
            foreach (var write in published) RecordFiles.TryDelete(write.Target);
            foreach (var write in published.Concat(taken)) Fail(write, ex);
            return;
        }
        foreach (var write in published) write.Outcome.TrySetResult(true);
        foreach (var write in taken) write.Outcome.TrySetResult(false);
    }

    /// <summary>The record in a temporary file of its own, beside its name; false when it is not to be written.</summary>
    private bool Write(PendingWrite write)
    {
        if (write.Cancellation.IsCancellationRequested)
        {
            write.Outcome.TrySetCanceled(write.Cancellation);
            return false;
        }
        try
        {
            var folder = Path.GetDirectoryName(write.Target)!;
            RecordFiles.EnsureFolder(folder);
            write.TemporaryPath = Path.Combine(folder, $".{Path.GetFileNameWithoutExtension(write.Target)}.{Guid.NewGuid():N}{RecordFiles.TempSuffix}");
            write.Temporary = RecordFiles.WriteNew(write.TemporaryPath, write.Value.Span);
            return true;
        }
        catch (Exception ex)
        {
            Fail(write, ex);
            return false;
        }
    }

    /// <summary>Publishes the record under its name, or finds the name taken; either way no temporary file is left.</summary>
    private bool Publish(PendingWrite write)
    {
        try
        {
            if (FileSystemCalls.TryPublish(write.TemporaryPath!, write.Target)) return true;
            // An expired record does not hold its key: removed, then the name is tried once more.
            return _tryDeleteExpired(write.Kind, write.Target) && FileSystemCalls.TryPublish(write.TemporaryPath!, write.Target);
        }
        finally
        {
            RecordFiles.TryDelete(write.TemporaryPath!); // still there only when the record was not published
        }
    }

    private void Fail(PendingWrite write, Exception ex)
    {
        if (write.Outcome.Task.IsCompleted) return;
        _logger.LogError("A {Collection} record could not be stored: {Reason}", RecordFiles.Describe(write.Kind), ex.GetType().Name);
        _failed?.Invoke(ex);
        write.Outcome.TrySetException(new RecordStoreUnavailableException("The store could not be written", ex));
        write.Close();
        if (write.TemporaryPath is { } temporary) RecordFiles.TryDelete(temporary);
    }

    /// <summary>A record on its way to the disk, and its caller's answer.</summary>
    private sealed class PendingWrite(RecordKind kind, string target, ReadOnlyMemory<byte> value, CancellationToken cancellation)
    {
        public RecordKind Kind { get; } = kind;
        public string Target { get; } = target;
        public ReadOnlyMemory<byte> Value { get; } = value;
        public CancellationToken Cancellation { get; } = cancellation;
        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string? TemporaryPath { get; set; }
        public FileStream? Temporary { get; set; }

        public void Close()
        {
            Temporary?.Dispose();
            Temporary = null;
        }
    }
}
