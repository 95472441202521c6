using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// The file store's writes, group-committed on a thread of their own: it takes every record waiting,
/// writes each to a temporary file and publishes it under its name if the name is free
/// (<see cref="FileSystemCalls.TryPublish"/>), then makes the whole batch durable with one flush,
/// and only then tells the callers. A caller hears only of a record that is on disk; the disk is
/// flushed once per batch, and no request thread blocks in file-system calls. Under load batches
/// grow by themselves: what arrives during one flush makes the next batch.
/// </summary>
internal sealed class FileRecordWriter : IDisposable
{
    private const int MaxBatch = 256;

    private readonly string _root;
    private readonly Func<RecordKind, string, bool> _tryDeleteExpired;
    private readonly ILogger _logger;
    private readonly Func<string, bool> _syncFileSystem;
    private readonly FileSystemCalls.FileSystemFlusher? _flusher;
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new() { SingleReader = true });
    private readonly Thread _thread;
    private volatile bool _syncsInBatches = true; // until the file system refuses syncfs; then each file is flushed

    /// <param name="tryDeleteExpired">Removes the record at a path if it has expired, so that its key is free again.</param>
    /// <param name="syncFileSystem">Makes every write so far to the folder's file system durable; false when it cannot (a seam for tests).</param>
    public FileRecordWriter(string root, Func<RecordKind, string, bool> tryDeleteExpired, ILogger logger, Func<string, bool>? syncFileSystem)
    {
        _root = root;
        _tryDeleteExpired = tryDeleteExpired;
        _logger = logger;
        if (syncFileSystem is null) _flusher = new FileSystemCalls.FileSystemFlusher();
        _syncFileSystem = syncFileSystem ?? _flusher!.TrySync;
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
        if (_thread.Join(TimeSpan.FromSeconds(10))) _flusher?.Dispose();
    }

    private void WriteBatches()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        var published = new List<PendingWrite>(MaxBatch);
        var taken = new List<PendingWrite>();
        while (_pending.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var write)) batch.Add(write);
            foreach (var write in batch)
            {
                switch (Publish(write, out var error))
                {
                    case Step.Published: published.Add(write); break;
                    case Step.Taken: taken.Add(write); break;
                    case Step.Cancelled: write.Outcome.TrySetCanceled(write.Cancellation); break;
                    default: Fail(write, error!); break;
                }
            }
            MakeDurable(published, taken);
            batch.Clear();
            published.Clear();
            taken.Clear();
        }
    }

    private enum Step { Published, Taken, Cancelled, Failed }

    /// <summary>
    /// Writes one record and publishes it under its name, or finds the name taken. Nothing is
    /// answered here: a record waits for the batch's flush, and so does the news that a name is
    /// taken (its holder may be in this very batch).
    /// </summary>
    private Step Publish(PendingWrite write, out Exception? error)
    {
        error = null;
        if (write.Cancellation.IsCancellationRequested) return Step.Cancelled;

        var folder = Path.GetDirectoryName(write.Target)!;
        var temp = Path.Combine(folder, $".{Path.GetFileNameWithoutExtension(write.Target)}.{Guid.NewGuid():N}{RecordFiles.TempSuffix}");
        try
        {
            RecordFiles.EnsureFolder(folder);
            RecordFiles.WriteNew(temp, write.Value.Span, flushToDisk: !_syncsInBatches);
            if (FileSystemCalls.TryPublish(temp, write.Target)) return Step.Published;
            // An expired record does not hold its key: removed, then the name is tried once more.
            if (!_tryDeleteExpired(write.Kind, write.Target)) return Step.Taken;
            return FileSystemCalls.TryPublish(temp, write.Target) ? Step.Published : Step.Taken;
        }
        catch (Exception ex) // not only I/O: whatever it is, the caller hears of it and the writer lives on
        {
            error = ex;
            return Step.Failed;
        }
        finally
        {
            RecordFiles.TryDelete(temp); // still there only when the record was not published
        }
    }

    /// <summary>
    /// One flush for the whole batch; then its callers are told. If the flush fails the batch's
    /// records are taken back: a caller is never told a record is stored when it may not be, nor
    /// that a key is taken by a record that may not be on disk.
    /// </summary>
    private void MakeDurable(List<PendingWrite> published, List<PendingWrite> taken)
    {
        if (published.Count == 0 && taken.Count == 0) return;
        try
        {
            if (!_syncsInBatches || !_syncFileSystem(_root))
            {
                if (_syncsInBatches)
                {
                    _syncsInBatches = false; // from the next batch on, each file is flushed before it is published
                    _logger.LogWarning("The file system refused syncfs; each session file is flushed on its own from now on, which is slower");
                    foreach (var write in published) RecordFiles.FlushToDisk(write.Target);
                }
                foreach (var folder in published.Concat(taken).Select(w => Path.GetDirectoryName(w.Target)!).Distinct())
                    FileSystemCalls.FlushFolder(folder); // the names, which flushing a file does not cover
            }
        }
        catch (Exception ex) // as in Publish: an exception leaving this thread would end the process
        {
            foreach (var write in published)
            {
                RecordFiles.TryDelete(write.Target);
                Fail(write, ex);
            }
            foreach (var write in taken) Fail(write, ex);
            return;
        }
        foreach (var write in published) write.Outcome.TrySetResult(true);
        foreach (var write in taken) write.Outcome.TrySetResult(false);
    }

    private void Fail(PendingWrite write, Exception ex)
    {
        _logger.LogError("A {Collection} record could not be stored: {Reason}", RecordFiles.Describe(write.Kind), ex.GetType().Name);
        write.Outcome.TrySetException(new RecordStoreUnavailableException("The store could not be written", ex));
    }

    /// <summary>A record on its way to the disk, and its caller's answer.</summary>
    private sealed record PendingWrite(RecordKind Kind, string Target, ReadOnlyMemory<byte> Value, CancellationToken Cancellation)
    {
        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
