namespace IncodeSlices.Infrastructure.Storage;

/// <summary>The file operations the store and its writer share.</summary>
internal static class RecordFiles
{
    internal const string TempSuffix = ".tmp";
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void EnsureFolder(string folder)
    {
        if (Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, OwnerOnlyFolder);
    }

    /// <summary>Creates the file (never overwriting one) with only the owner's access and writes it whole; it stays open.</summary>
    public static FileStream WriteNew(string path, ReadOnlySpan<byte> value)
    {
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = OwnerOnlyFile;
        var file = new FileStream(path, create);
        try
        {
            file.Write(value);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public static bool TryDelete(string path)
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

    public static string Describe(RecordKind kind) => kind.Collection.Length == 0 ? "session" : kind.Collection;
}
