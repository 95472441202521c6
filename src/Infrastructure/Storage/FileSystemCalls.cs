using System.Runtime.InteropServices;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// The few file-system calls .NET does not offer, used by <see cref="FileRecordStore"/>: publishing a
/// file under a name only if the name is free, atomically, and making a whole batch of writes
/// durable with one call instead of one per file. Each has a portable fallback.
/// </summary>
internal static class FileSystemCalls
{
    private const int EExist = 17;     // the same on Linux and macOS
    private const uint RenameNoReplace = 1;
    private const int OpenReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux
    private const int OpenCloseOnExec = 0x80000;

    private static volatile bool s_renameNoReplaceUnsupported;

    /// <summary>
    /// Gives <paramref name="temp"/> the name <paramref name="target"/> unless that name exists;
    /// false when it does. Atomic: of any number of writers racing for one name, in this process or
    /// another, exactly one wins, and a reader sees the whole file or nothing. The temporary name is
    /// gone afterwards when this returns true. (File.Move without overwrite checks, then renames: two
    /// writers can both pass the check.)
    /// </summary>
    public static bool TryPublish(string temp, string target)
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

        // renameat2(RENAME_NOREPLACE): one call. Where the kernel or file system lacks it (not Linux,
        // or a file system that refuses the flag): link(2), which fails on an existing name, then unlink.
        if (OperatingSystem.IsLinux() && !s_renameNoReplaceUnsupported)
        {
            if (RenameAt2(AtCurrentDirectory, temp, AtCurrentDirectory, target, RenameNoReplace) == 0) return true;
            var error = Marshal.GetLastPInvokeError();
            if (error == EExist) return false;
            if (error is not (ENoSys or EInval or EPerm)) throw new IOException($"renameat2 failed with errno {error}");
            s_renameNoReplaceUnsupported = true;
        }

        if (Link(temp, target) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == EExist) return false;
            throw new IOException($"link failed with errno {error}");
        }
        File.Delete(temp);
        return true;
    }

    /// <summary>
    /// syncfs(2) on the file system holding <paramref name="folder"/>: every write to it so far,
    /// data and names, reaches the disk before this returns. One call for a whole batch of records.
    /// False when the call is not available (not Linux, or refused by a sandbox such as a seccomp
    /// profile): the caller then flushes each file itself.
    /// </summary>
    public static bool TrySyncFileSystem(string folder)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var fd = Open(folder, OpenReadOnlyDirectory | OpenCloseOnExec);
        if (fd < 0) throw new IOException($"open of the store folder failed with errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (SyncFs(fd) == 0) return true;
            var error = Marshal.GetLastPInvokeError();
            if (error is ENoSys or EPerm) return false;
            throw new IOException($"syncfs failed with errno {error}");
        }
        finally
        {
            Close(fd);
        }
    }

    private const int AtCurrentDirectory = -100; // AT_FDCWD: paths are absolute anyway
    private const int ENoSys = 38;
    private const int EPerm = 1;      // what older seccomp profiles answer for a call they block
    private const int EInval = 22;

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static extern int SyncFs(int fd);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
