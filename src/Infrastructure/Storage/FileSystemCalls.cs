using System.Runtime.InteropServices;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// The few file-system calls .NET does not offer, used by <see cref="FileRecordStore"/>: publishing a
/// file under a name only if the name is free, atomically, and making a folder's new names durable.
/// Each has a portable fallback. Flag values are the ones shared by Linux on x86-64 and arm64.
/// </summary>
internal static class FileSystemCalls
{
    private const int EPerm = 1;      // what older seccomp profiles answer for a call they block
    private const int EExist = 17;    // the same on Linux and macOS
    private const int EInval = 22;
    private const int ENoSys = 38;
    private const uint RenameNoReplace = 1;
    private const int AtCurrentDirectory = -100; // AT_FDCWD: the paths are absolute anyway
    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC (O_DIRECTORY differs between x86-64 and arm64)

    private static volatile bool s_renameNoReplaceUnsupported;

    /// <summary>
    /// Gives <paramref name="temp"/> the name <paramref name="target"/> unless that name exists;
    /// false when it does. Atomic: of any number of writers racing for one name, in this process or
    /// another, exactly one wins, and a reader sees the whole file or nothing. (File.Move without
    /// overwrite checks, then renames: two writers can both pass the check.) The temporary name may
    /// remain after a fallback's unlink fails; the store's sweep removes it.
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

        // renameat2(RENAME_NOREPLACE): one call. Where the kernel, the C library, a sandbox or the file
        // system lacks it: link(2), which fails on an existing name, then unlink the temporary name.
        if (OperatingSystem.IsLinux() && !s_renameNoReplaceUnsupported)
        {
            try
            {
                if (RenameAt2(AtCurrentDirectory, temp, AtCurrentDirectory, target, RenameNoReplace) == 0) return true;
                var error = Marshal.GetLastPInvokeError();
                if (error == EExist) return false;
                if (error is not (ENoSys or EInval or EPerm)) throw new IOException($"renameat2 failed with errno {error}");
            }
            catch (EntryPointNotFoundException)
            {
                // a C library older than glibc 2.28
            }
            s_renameNoReplaceUnsupported = true;
        }

        if (Link(temp, target) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == EExist) return false;
            throw new IOException($"link failed with errno {error}");
        }
        try
        {
            File.Delete(temp); // the record is published; a leftover temporary name is only clutter
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return true;
    }

    /// <summary>
    /// fsync(2) on a folder: the names created in it so far are on disk. Linux only, the server's
    /// platform; elsewhere the names are as durable as that system makes a rename.
    /// </summary>
    public static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return; // the flags below are Linux's
        var fd = Open(folder, OpenReadOnlyCloseOnExec);
        if (fd < 0) throw new IOException($"open of {Path.GetFileName(folder)} failed with errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (FSync(fd) != 0) throw new IOException($"fsync of a folder failed with errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
