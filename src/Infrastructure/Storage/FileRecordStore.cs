using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// Records as files: <c>&lt;root&gt;/&lt;collection&gt;/&lt;key&gt;.json</c> (the root itself for the
/// collection ""). Writes go through <see cref="FileRecordWriter"/>: atomic, create-if-absent and
/// durable before they are answered. Files are 0600 in 0700 folders, since they hold session tokens.
/// A file's write time is its creation time, which is what expiry counts from.
/// </summary>
internal sealed class FileRecordStore : IRecordStore, IDisposable
{
    private readonly TimeProvider _clock;
    private readonly ILogger<FileRecordStore> _logger;
    private readonly Lock _replacing = new(); // an expired record's check and removal, by the writer or the sweep
    private readonly FileRecordWriter _writer;

    public FileRecordStore(IOptions<StoreOptions> options, TimeProvider clock, ServerMetrics metrics, ILogger<FileRecordStore> logger, StoreReadiness readiness)
        : this(options, clock, logger, new DiskDurability(), metrics, readiness)
    {
    }

    /// <param name="durability">How a batch of writes reaches the disk (a seam for tests).</param>
    /// <param name="metrics">Where the size of each batch is counted, if anywhere.</param>
    /// <param name="readiness">Told when a write fails, so that no billable work starts until the store takes writes again.</param>
    internal FileRecordStore(IOptions<StoreOptions> options, TimeProvider clock, ILogger<FileRecordStore> logger, IRecordDurability durability,
        ServerMetrics? metrics = null, StoreReadiness? readiness = null)
    {
        Root = Path.GetFullPath(options.Value.SessionsDir);
        _clock = clock;
        _logger = logger;
        _readiness = readiness;
        _writer = new FileRecordWriter(TryDeleteExpired, logger, durability, metrics, ex => readiness?.WriteFailed(CannotWrite(ex)));
    }

    private readonly StoreReadiness? _readiness;

    public string Root { get; }

    public bool IsAvailable => _readiness?.IsWritable ?? true;

    public async Task<string?> ProblemAsync(CancellationToken ct)
    {
        var probe = Path.Combine(Root, $".probe.{Guid.NewGuid():N}{RecordFiles.TempSuffix}"); // swept at start if left behind
        try
        {
            await Task.Run(() =>
            {
                RecordFiles.EnsureFolder(Root);
                using var file = RecordFiles.WriteNew(probe, "{}"u8);
                file.Flush(flushToDisk: true);
            }, ct);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CannotWrite(ex);
        }
        finally
        {
            RecordFiles.TryDelete(probe);
        }
    }

    /// <summary>Why the folder cannot be written, in the words of the mistake that usually causes it.</summary>
    private string CannotWrite(Exception ex)
    {
        const int ReadOnlyFileSystem = 30, NoSpace = 28; // errno, which .NET gives as the HResult of an IOException on Unix
        var why = ex switch
        {
            _ when File.Exists(Root) => "it is a file, not a folder",
            _ when AncestorIsAFile() => "a part of the path is a file, not a folder",
            UnauthorizedAccessException => $"permission denied for the user this server runs as ({Environment.UserName})",
            IOException { HResult: ReadOnlyFileSystem } => "the file system is read-only",
            IOException { HResult: NoSpace } => "the disk is full",
            _ => $"the file system refused ({ex.GetType().Name})",
        };
        return $"SESSIONS_DIR ({Root}) cannot be written: {why}";
    }

    private bool AncestorIsAFile()
    {
        for (var folder = Path.GetDirectoryName(Root); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
            if (File.Exists(folder)) return true;
        return false;
    }

    public Task<bool> TryAddAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct) =>
        RecordKeys.IsSafe(key) ? _writer.AddAsync(kind, PathOf(kind, key), value, ct) : Task.FromException<bool>(UnsafeKey());

    public Task<byte[]?> GetAsync(RecordKind kind, string key, CancellationToken ct)
    {
        if (!RecordKeys.IsSafe(key)) return Task.FromException<byte[]?>(UnsafeKey());
        var path = PathOf(kind, key);
        try
        {
            // A record is a small file, normally in the page cache: read in place, which costs less
            // than handing the read to another thread and back. One open: its age and its bytes from
            // the same handle (no stat of the path before): on Linux open, statx, pread and close.
            if (FileSystemCalls.TryReadWhole(path, kind.Lifetime, kind.Lifetime is null ? default : _clock.GetUtcNow().UtcDateTime, out var bytes))
                return Task.FromResult(bytes);
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (kind.Lifetime is { } lifetime && File.GetLastWriteTimeUtc(file) + lifetime < _clock.GetUtcNow().UtcDateTime)
                return Task.FromResult<byte[]?>(null);
            return Task.FromResult<byte[]?>(ReadAll(file));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<byte[]?>(null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("A {Collection} record could not be read: {Reason}", RecordFiles.Describe(kind), ex.GetType().Name);
            return Task.FromException<byte[]?>(new RecordStoreUnavailableException("The store could not be read", ex));
        }
    }

    private static byte[] ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        var bytes = new byte[RandomAccess.GetLength(file)];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(file, bytes.AsSpan(read), read);
            if (n == 0) return bytes.AsSpan(0, read).ToArray(); // shorter than it said: what is there
            read += n;
        }
        return bytes;
    }

    public Task DeleteAsync(RecordKind kind, string key, CancellationToken ct)
    {
        if (!RecordKeys.IsSafe(key)) return Task.FromException(UnsafeKey());
        RecordFiles.TryDelete(PathOf(kind, key));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes what a crash mid-write leaves (temporary files never held a published record) and,
    /// for the kinds given, records past their lifetime. While the server runs, a temporary file
    /// may be a write in flight, so only those older than <paramref name="temporaryOlderThan"/> go.
    /// </summary>
    public int Sweep(IEnumerable<RecordKind> expiring, TimeSpan temporaryOlderThan) =>
        SweepSteps(expiring, temporaryOlderThan).Count(removed => removed);

    /// <summary>
    /// <see cref="Sweep"/> at a pace that leaves the machine to the requests: a short sleep after every
    /// few hundred files, so that a folder of a hundred thousand sessions is gone through in seconds at a
    /// fraction of one core, instead of taking a whole core (the one the requests need) while it lasts.
    /// </summary>
    public async Task<int> SweepPacedAsync(IEnumerable<RecordKind> expiring, TimeSpan temporaryOlderThan, CancellationToken ct)
    {
        const int FilesBetweenPauses = 256;
        var (seen, removed) = (0, 0);
        foreach (var step in SweepSteps(expiring, temporaryOlderThan))
        {
            if (step) removed++;
            if (++seen % FilesBetweenPauses == 0) await Task.Delay(Pause, ct); // real time: the pace is the CPU's, not the clock's
        }
        return removed;
    }

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(5);

    /// <summary>One step per file looked at: whether it was removed.</summary>
    private IEnumerable<bool> SweepSteps(IEnumerable<RecordKind> expiring, TimeSpan temporaryOlderThan)
    {
        if (!Directory.Exists(Root)) yield break;
        // Whether a temporary file is a write still in flight is a matter of the file system's own
        // time, in which its write time is stamped; a record's lifetime is the server's clock's.
        var cutoff = DateTime.UtcNow - temporaryOlderThan;
        foreach (var file in Directory.EnumerateFiles(Root, "*" + RecordFiles.TempSuffix, SearchOption.AllDirectories))
            yield return (temporaryOlderThan <= TimeSpan.Zero || File.GetLastWriteTimeUtc(file) < cutoff) && RecordFiles.TryDelete(file);
        foreach (var kind in expiring.Where(k => k.Lifetime is not null))
        {
            var folder = Path.Combine(Root, kind.Collection);
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*.json")) yield return TryDeleteExpired(kind, file);
        }
    }

    /// <summary>Stops taking writes; those already queued are still written.</summary>
    public void Dispose() => _writer.Dispose();

    /// <summary>
    /// Removes the record if it has expired, under a lock shared by the writer and the sweep, so
    /// that neither removes a record the other has just put in an expired one's place.
    /// </summary>
    private bool TryDeleteExpired(RecordKind kind, string path)
    {
        lock (_replacing)
        {
            return IsExpired(kind, path) && RecordFiles.TryDelete(path);
        }
    }

    private bool IsExpired(RecordKind kind, string path) =>
        kind.Lifetime is { } lifetime && File.Exists(path)
        && File.GetLastWriteTimeUtc(path) + lifetime < _clock.GetUtcNow().UtcDateTime;

    private string PathOf(RecordKind kind, string key) => Path.Combine(Root, kind.Collection, key + ".json");

    private static ArgumentException UnsafeKey() => new("Record keys are lower-case letters, digits and dashes", "key");
}
