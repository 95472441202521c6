using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// fdatasync(2) on each file written and fsync(2) on each folder that got a name: only this store's
/// own data is flushed. (syncfs would flush every dirty page of the whole file system, and so wait
/// for whatever else writes to that disk: logs, other containers, a database.)
/// </summary>
internal sealed class DiskDurability : IRecordDurability
{
    public void FlushFiles(IReadOnlyList<SafeFileHandle> files)
    {
        foreach (var file in files)
        {
            if (!OperatingSystem.IsLinux())
            {
                RandomAccess.FlushToDisk(file);
                continue;
            }
            var added = false;
            file.DangerousAddRef(ref added);
            try
            {
                if (FDataSync((int)file.DangerousGetHandle()) != 0)
                    throw new IOException($"fdatasync failed with errno {Marshal.GetLastPInvokeError()}");
            }
            finally
            {
                if (added) file.DangerousRelease();
            }
        }
    }

    public void FlushFolders(IReadOnlyCollection<string> folders)
    {
        foreach (var folder in folders) FileSystemCalls.FlushFolder(folder);
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FDataSync(int fd);
}
