using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// Records as files: <c>&lt;root&gt;/&lt;collection&gt;/&lt;key&gt;.json</c> (the root itself for the
/// collection ""). A record is written to a temporary file in the same folder, flushed to disk, and
/// linked into place with link(2), which fails if the target exists: atomic, and create-if-absent.
/// Files are 0600 in 0700 folders, since they hold session tokens. The file's write time is its
/// creation time, which is what expiry counts from.
/// </summary>
internal sealed class FileRecordStore : IRecordStore
{
    internal const string TempSuffix = ".tmp";
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TimeProvider _clock;
    private readonly ILogger<FileRecordStore> _logger;

    public FileRecordStore(IOptions<StoreOptions> options, TimeProvider clock, ILogger<FileRecordStore> logger)
    {
        Root = Path.GetFullPath(options.Value.SessionsDir);
        _clock = clock;
        _logger = logger;
    }

    public string Root { get; }

    public bool IsAvailable => true; // a failing disk shows on the write itself

    public async Task<bool> ProbeAsync(CancellationToken ct)
    {
        var probe = Path.Combine(Root, $".probe.{Guid.NewGuid():N}{TempSuffix}"); // swept at start if left behind
        try
        {
            EnsureFolder(Root);
            await WriteDurablyAsync(probe, "{}"u8.ToArray(), ct);
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

    public async Task<bool> TryAddAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        var target = PathOf(kind, key);
        var folder = Path.GetDirectoryName(target)!;
        var temp = Path.Combine(folder, $".{key}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            EnsureFolder(folder);
            await WriteDurablyAsync(temp, value, ct);
            for (var attempt = 0; ; attempt++)
            {
                if (TryPublish(temp, target)) return true;
                if (attempt > 0 || !IsExpired(kind, target)) return false;
                TryDelete(target); // an expired record does not hold its key
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError("A {Collection} record could not be stored: {Reason}", Describe(kind), ex.GetType().Name);
            throw new RecordStoreUnavailableException("The store could not be written", ex);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public async Task<byte[]?> GetAsync(RecordKind kind, string key, CancellationToken ct)
    {
        var path = PathOf(kind, key);
        try
        {
            if (IsExpired(kind, path)) return null;
            return await File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("A {Collection} record could not be read: {Reason}", Describe(kind), ex.GetType().Name);
            throw new RecordStoreUnavailableException("The store could not be read", ex);
        }
    }

    public Task DeleteAsync(RecordKind kind, string key, CancellationToken ct)
    {
        TryDelete(PathOf(kind, key));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes what a crash mid-write leaves (temporary files never held a published record) and,
    /// for the kinds given, records past their lifetime.
    /// </summary>
    public int Sweep(IEnumerable<RecordKind> expiring)
    {
        if (!Directory.Exists(Root)) return 0;
        var swept = Directory.EnumerateFiles(Root, "*" + TempSuffix, SearchOption.AllDirectories).Count(TryDelete);
        foreach (var kind in expiring.Where(k => k.Lifetime is not null))
        {
            var folder = Path.Combine(Root, kind.Collection);
            if (!Directory.Exists(folder)) continue;
            swept += Directory.EnumerateFiles(folder, "*.json").Where(f => IsExpired(kind, f)).Count(TryDelete);
        }
        return swept;
    }

    private bool IsExpired(RecordKind kind, string path) =>
        kind.Lifetime is { } lifetime && File.Exists(path)
        && File.GetLastWriteTimeUtc(path) + lifetime < _clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Publishes <paramref name="temp"/> as <paramref name="target"/> unless the target exists, atomically:
    /// link(2) fails with EEXIST when it does, so of any number of racing writers exactly one wins, and
    /// a reader sees the whole file or nothing. (File.Move without overwrite checks, then renames: two
    /// writers can both pass the check.)
    /// </summary>
    private static bool TryPublish(string temp, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(temp, target, overwrite: false); // MoveFileEx without REPLACE_EXISTING is atomic there
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }

        if (Link(temp, target) == 0) return true;
        var error = Marshal.GetLastPInvokeError();
        if (error == EExist) return false;
        throw new IOException($"link failed with errno {error}");
    }

    private const int EExist = 17; // the same on Linux and macOS

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);

    private static async Task WriteDurablyAsync(string path, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        var write = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows()) write.UnixCreateMode = OwnerOnlyFile;
        await using var file = new FileStream(path, write);
        await file.WriteAsync(value, ct);
        await file.FlushAsync(ct);
        file.Flush(flushToDisk: true); // the move must never publish a record whose bytes are not on disk
    }

    private static void EnsureFolder(string folder)
    {
        if (Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, OwnerOnlyFolder);
    }

    private string PathOf(RecordKind kind, string key) =>
        RecordKeys.IsSafe(key)
            ? Path.Combine(Root, kind.Collection, key + ".json")
            : throw new ArgumentException("Record keys are lower-case letters, digits and dashes", nameof(key));

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
