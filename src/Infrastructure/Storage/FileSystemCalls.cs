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

    private const int ENoEnt = 2;
    private const int EIntr = 4;
    private const int EAcces = 13;
    private const int ENotDir = 20;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxTypeModeSizeMtime = 0x1 | 0x2 | 0x200 | 0x40; // STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_MTIME
    private const int FileTypeMask = 0xF000;                              // S_IFMT
    private const int FolderType = 0x4000;                                // S_IFDIR

    private static volatile bool s_statxUnsupported;
    private static readonly byte[] EmptyPath = [0]; // "" with AT_EMPTY_PATH: the open file itself

    /// <summary>
    /// A small file read whole in four calls: open(2), statx(2) for its type, size and write time,
    /// pread(2), close(2). <see cref="File.OpenHandle"/> followed by a write time and a length costs
    /// three fstat(2) calls and a flock(2) taken and given back: advisory locks no writer of the
    /// store takes (a record is closed before its name is published). Linux only; false where this
    /// system lacks statx (the caller reads the portable way). <paramref name="bytes"/> is null when
    /// the name does not exist, or when <paramref name="lifetime"/> has passed since the file was written;
    /// otherwise what the file holds (shorter than its size said: what is there). Refusals are thrown
    /// as .NET's own read would: <see cref="UnauthorizedAccessException"/> for a folder or EACCES,
    /// <see cref="IOException"/> for the rest.
    /// </summary>
    public static bool TryReadWhole(string path, TimeSpan? lifetime, DateTime nowUtc, out byte[]? bytes)
    {
        bytes = null;
        if (!OperatingSystem.IsLinux() || s_statxUnsupported) return false;

        int fd;
        do fd = Open(path, OpenReadOnlyCloseOnExec);
        while (fd < 0 && Marshal.GetLastPInvokeError() == EIntr);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error is ENoEnt or ENotDir) return true;
            if (error is EAcces or EPerm) throw new UnauthorizedAccessException($"open failed with errno {error}");
            throw new IOException($"open failed with errno {error}");
        }
        try
        {
            Statx status;
            try
            {
                if (StatxOf(fd, EmptyPath, AtEmptyPath, StatxTypeModeSizeMtime, out status) != 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error is not (ENoSys or EPerm)) throw new IOException($"statx failed with errno {error}");
                    s_statxUnsupported = true; // a sandbox that blocks it
                    return false;
                }
            }
            catch (EntryPointNotFoundException)
            {
                s_statxUnsupported = true; // a C library older than glibc 2.28
                return false;
            }
            if ((status.Mode & FileTypeMask) == FolderType) throw new UnauthorizedAccessException("The record's name is a folder");
            var written = DateTime.UnixEpoch.AddTicks(status.MtimeSeconds * TimeSpan.TicksPerSecond + status.MtimeNanoseconds / 100);
            if (lifetime is { } kept && written + kept < nowUtc) return true;

            var whole = new byte[checked((int)status.Size)];
            var read = 0;
            while (read < whole.Length)
            {
                var n = PRead(fd, ref whole[read], (nuint)(whole.Length - read), read);
                if (n < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error == EIntr) continue;
                    throw new IOException($"read failed with errno {error}");
                }
                if (n == 0)
                {
                    bytes = whole.AsSpan(0, read).ToArray(); // shorter than it said: what is there
                    return true;
                }
                read += (int)n;
            }
            bytes = whole;
            return true;
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>struct statx, the same on every Linux architecture: only what is read here is named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(112)] public long MtimeSeconds;
        [FieldOffset(120)] public uint MtimeNanoseconds;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatxOf(int fd, byte[] path, int flags, uint mask, out Statx status);

    [DllImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static extern nint PRead(int fd, ref byte buffer, nuint count, long offset);

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
