using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// Records as files: <c>&lt;root&gt;/&lt;collection&gt;/&lt;key&gt;.json</c> (the root itself for the
/// collection ""). A record is written to a temporary file in the same folder and published under its
/// name only if the name is free (<see cref="FileSystemCalls.TryPublish"/>): atomic, and
/// create-if-absent. Files are 0600 in 0700 folders, since they hold session tokens. The file's
/// write time is its creation time, which is what expiry counts from.
/// <para>
/// Writes are group-committed: one writer thread takes every record waiting, writes and publishes
/// them, then makes the whole batch durable with one syncfs(2), and only then tells the callers. A
/// caller is answered only for a record that is on disk, yet the disk is flushed once per batch, not
/// once per record, and no request thread blocks in file-system calls. Under load the batches grow
/// by themselves: the records that arrive during one flush make the next batch.
/// </para>
/// </summary>
internal sealed class FileRecordStore : IRecordStore, IDisposable
{
    internal const string TempSuffix = ".tmp";
    private const int MaxBatch = 256;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TimeProvider _clock;
    private readonly ILogger<FileRecordStore> _logger;
    private readonly Func<string, bool> _syncFileSystem;
    private readonly FileSystemCalls.FileSystemFlusher? _flusher;
    private readonly Lock _replacing = new(); // an expired record's check and removal, by the writer or the sweep
    private volatile bool _syncsInBatches = true; // until the file system refuses syncfs; then each file is flushed
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new() { SingleReader = true });
    private readonly Thread _writer;

    public FileRecordStore(IOptions<StoreOptions> options, TimeProvider clock, ILogger<FileRecordStore> logger)
        : this(options, clock, logger, syncFileSystem: null)
    {
    }

    /// <param name="syncFileSystem">
    /// Makes every write so far to the folder's file system durable; false when it cannot (a seam for tests).
    /// </param>
    internal FileRecordStore(IOptions<StoreOptions> options, TimeProvider clock, ILogger<FileRecordStore> logger, Func<string, bool>? syncFileSystem)
    {
        Root = Path.GetFullPath(options.Value.SessionsDir);
        _clock = clock;
        _logger = logger;
        if (syncFileSystem is null) _flusher = new FileSystemCalls.FileSystemFlusher();
        _syncFileSystem = syncFileSystem ?? _flusher!.TrySync;
        _writer = new Thread(WriteBatches) { IsBackground = true, Name = "Record store writer" };
        _writer.Start();
    }

    public string Root { get; }

    public bool IsAvailable => true; // a failing disk shows on the write itself

    public async Task<bool> ProbeAsync(CancellationToken ct)
    {
        var probe = Path.Combine(Root, $".probe.{Guid.NewGuid():N}{TempSuffix}"); // swept at start if left behind
        try
        {
            await Task.Run(() =>
            {
                EnsureFolder(Root);
                WriteTemporary(probe, "{}"u8, flushToDisk: true);
            }, ct);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            TryDelete(probe);
        }
    }

    public Task<bool> TryAddAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        if (!RecordKeys.IsSafe(key)) return Task.FromException<bool>(UnsafeKey(key));
        if (ct.IsCancellationRequested) return Task.FromCanceled<bool>(ct);

        var write = new PendingWrite(kind, PathOf(kind, key), value, ct);
        return _pending.Writer.TryWrite(write)
            ? write.Outcome.Task
            : Task.FromException<bool>(new RecordStoreUnavailableException("The store is shut down"));
    }

    public Task<byte[]?> GetAsync(RecordKind kind, string key, CancellationToken ct)
    {
        if (!RecordKeys.IsSafe(key)) return Task.FromException<byte[]?>(UnsafeKey(key));
        var path = PathOf(kind, key);
        try
        {
            // A record is a small file, normally in the page cache: read in place, which costs less
            // than handing the read to another thread and back.
            if (IsExpired(kind, path)) return Task.FromResult<byte[]?>(null);
            return Task.FromResult<byte[]?>(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<byte[]?>(null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("A {Collection} record could not be read: {Reason}", Describe(kind), ex.GetType().Name);
            return Task.FromException<byte[]?>(new RecordStoreUnavailableException("The store could not be read", ex));
        }
    }

    public Task DeleteAsync(RecordKind kind, string key, CancellationToken ct)
    {
        if (!RecordKeys.IsSafe(key)) return Task.FromException(UnsafeKey(key));
        TryDelete(PathOf(kind, key));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes what a crash mid-write leaves (temporary files never held a published record) and,
    /// for the kinds given, records past their lifetime. While the server runs, a temporary file
    /// may be a write in flight, so only those older than <paramref name="temporaryOlderThan"/> go.
    /// </summary>
    public int Sweep(IEnumerable<RecordKind> expiring, TimeSpan temporaryOlderThan)
    {
        if (!Directory.Exists(Root)) return 0;
        var cutoff = _clock.GetUtcNow().UtcDateTime - temporaryOlderThan;
        var swept = Directory.EnumerateFiles(Root, "*" + TempSuffix, SearchOption.AllDirectories)
            .Where(f => temporaryOlderThan <= TimeSpan.Zero || File.GetLastWriteTimeUtc(f) < cutoff)
            .Count(TryDelete);
        foreach (var kind in expiring.Where(k => k.Lifetime is not null))
        {
            var folder = Path.Combine(Root, kind.Collection);
            if (!Directory.Exists(folder)) continue;
            swept += Directory.EnumerateFiles(folder, "*.json").Count(f => TryDeleteExpired(kind, f));
        }
        return swept;
    }

    /// <summary>Stops taking writes; those already queued are still written before the writer ends.</summary>
    public void Dispose()
    {
        _pending.Writer.TryComplete();
        if (_writer.Join(TimeSpan.FromSeconds(10))) _flusher?.Dispose();
    }

    // --- the writer thread ---------------------------------------------------------------------

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
        var temp = Path.Combine(folder, $".{Path.GetFileNameWithoutExtension(write.Target)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            EnsureFolder(folder);
            WriteTemporary(temp, write.Value.Span, flushToDisk: !_syncsInBatches);
            if (FileSystemCalls.TryPublish(temp, write.Target)) return Step.Published;
            // An expired record does not hold its key: removed, then the name is tried once more.
            if (!TryDeleteExpired(write.Kind, write.Target)) return Step.Taken;
            return FileSystemCalls.TryPublish(temp, write.Target) ? Step.Published : Step.Taken;
        }
        catch (Exception ex) // not only I/O: whatever it is, the caller hears of it and the writer lives on
        {
            error = ex;
            return Step.Failed;
        }
        finally
        {
            TryDelete(temp); // still there only when the record was not published
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
            if (!_syncsInBatches || !_syncFileSystem(Root))
            {
                if (_syncsInBatches)
                {
                    _syncsInBatches = false; // from the next batch on, each file is flushed before it is published
                    _logger.LogWarning("The file system refused syncfs; each session file is flushed on its own from now on, which is slower");
                    foreach (var write in published) FlushToDisk(write.Target);
                }
                foreach (var folder in published.Concat(taken).Select(w => Path.GetDirectoryName(w.Target)!).Distinct())
                    FileSystemCalls.FlushFolder(folder); // the names, which flushing a file does not cover
            }
        }
        catch (Exception ex) // as in Publish: an exception leaving the writer thread would end the process
        {
            foreach (var write in published)
            {
                TryDelete(write.Target);
                Fail(write, ex);
            }
            foreach (var write in taken) Fail(write, ex);
            return;
        }
        foreach (var write in published) write.Outcome.TrySetResult(true);
        foreach (var write in taken) write.Outcome.TrySetResult(false);
    }

    /// <summary>
    /// Removes the record if it has expired, under a lock shared by the writer and the sweep, so
    /// that neither removes a record the other has just put in an expired one's place.
    /// </summary>
    private bool TryDeleteExpired(RecordKind kind, string path)
    {
        lock (_replacing)
        {
            return IsExpired(kind, path) && TryDelete(path);
        }
    }

    private void Fail(PendingWrite write, Exception ex)
    {
        _logger.LogError("A {Collection} record could not be stored: {Reason}", Describe(write.Kind), ex.GetType().Name);
        write.Outcome.TrySetException(new RecordStoreUnavailableException("The store could not be written", ex));
    }

    private static void WriteTemporary(string path, ReadOnlySpan<byte> value, bool flushToDisk)
    {
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = OwnerOnlyFile;
        using var file = new FileStream(path, create);
        file.Write(value);
        if (flushToDisk) file.Flush(flushToDisk: true);
    }

    private static void FlushToDisk(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write); // Flush(true) skips read-only streams
        file.Flush(flushToDisk: true);
    }

    /// <summary>A record on its way to the disk, and its caller's answer.</summary>
    private sealed record PendingWrite(RecordKind Kind, string Target, ReadOnlyMemory<byte> Value, CancellationToken Cancellation)
    {
        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    // --- paths ---------------------------------------------------------------------------------

    private bool IsExpired(RecordKind kind, string path) =>
        kind.Lifetime is { } lifetime && File.Exists(path)
        && File.GetLastWriteTimeUtc(path) + lifetime < _clock.GetUtcNow().UtcDateTime;

    private static void EnsureFolder(string folder)
    {
        if (Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, OwnerOnlyFolder);
    }

    private string PathOf(RecordKind kind, string key) =>
        RecordKeys.IsSafe(key) ? Path.Combine(Root, kind.Collection, key + ".json") : throw UnsafeKey(key);

    private static ArgumentException UnsafeKey(string key) =>
        new("Record keys are lower-case letters, digits and dashes", nameof(key));

    private static string Describe(RecordKind kind) => kind.Collection.Length == 0 ? "session" : kind.Collection;

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
