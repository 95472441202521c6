using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>
/// One file a session, <c>&lt;uniqueId&gt;.json</c>, in the Node sample's format (2-space JSON, keys
/// token, interviewId, uniqueId) so that its <c>sessions/</c> folder keeps working. A file is written
/// to a temporary name in the same folder and renamed into place: a reader sees all of it or none.
/// </summary>
internal sealed class FileSessionStore : ISessionStore
{
    internal const string TempSuffix = ".tmp";
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly JsonSerializerOptions FileFormat = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _folder;
    private readonly ILogger<FileSessionStore> _logger;

    public FileSessionStore(IOptions<SessionStoreOptions> options, ILogger<FileSessionStore> logger)
    {
        _folder = Path.GetFullPath(options.Value.Directory);
        _logger = logger;
    }

    public string Folder => _folder;

    public async Task<SessionLookup> FindAsync(string uniqueId, CancellationToken ct)
    {
        if (!SessionIds.IsCanonical(uniqueId)) return SessionLookup.Missing;

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(PathOf(uniqueId), ct);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return SessionLookup.Missing;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Session {UniqueId} could not be read: {Reason}", uniqueId, ex.GetType().Name);
            return SessionLookup.Corrupted;
        }

        try
        {
            var session = JsonSerializer.Deserialize<StoredSession>(bytes, FileFormat);
            return session is { Token.Length: > 0 } && session.UniqueId == uniqueId
                ? new SessionLookup(SessionLookupStatus.Found, session with { InterviewId = session.InterviewId ?? "" })
                : SessionLookup.Corrupted;
        }
        catch (JsonException)
        {
            return SessionLookup.Corrupted;
        }
    }

    public async Task SaveAsync(StoredSession session, CancellationToken ct)
    {
        if (!SessionIds.IsCanonical(session.UniqueId))
            throw new SessionStoreException("Session id is not a canonical UUID");

        var target = PathOf(session.UniqueId);
        var temp = Path.Combine(_folder, $".{session.UniqueId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            EnsureFolder();
            var json = JsonSerializer.SerializeToUtf8Bytes(session, FileFormat);
            var write = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Options = FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows()) write.UnixCreateMode = OwnerOnlyFile;

            await using (var file = new FileStream(temp, write))
            {
                await file.WriteAsync(json, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true); // the rename must never publish a file whose bytes are not on disk
            }
            File.Move(temp, target, overwrite: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(temp);
            _logger.LogError("Session {UniqueId} could not be stored: {Reason}", session.UniqueId, ex.GetType().Name);
            throw new SessionStoreException("Session could not be stored", ex);
        }
    }

    /// <summary>Whether a session could be stored now: the folder exists (or can be made) and takes a new file.</summary>
    public bool CanStore()
    {
        var probe = Path.Combine(_folder, $".probe.{Guid.NewGuid():N}{TempSuffix}"); // swept at start if left behind
        try
        {
            EnsureFolder();
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write)) { }
            return TryDelete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            return false;
        }
    }

    /// <summary>Removes temporary files a crash left behind; they never held a published session.</summary>
    public int SweepTemporaryFiles()
    {
        if (!System.IO.Directory.Exists(_folder)) return 0;
        var swept = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(_folder, "*" + TempSuffix))
        {
            if (TryDelete(file)) swept++;
        }
        return swept;
    }

    private void EnsureFolder()
    {
        if (System.IO.Directory.Exists(_folder)) return;
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(_folder);
        else System.IO.Directory.CreateDirectory(_folder, OwnerOnlyFolder);
    }

    private string PathOf(string uniqueId) => Path.Combine(_folder, uniqueId + ".json");

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
