using Microsoft.Win32.SafeHandles;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>How a batch of the file store's writes is made durable: its files' data, then its new names.</summary>
internal interface IRecordDurability
{
    /// <summary>The data (and size) of each file reaches the disk before this returns.</summary>
    void FlushFiles(IReadOnlyList<SafeFileHandle> files);

    /// <summary>The names created in each folder reach the disk before this returns.</summary>
    void FlushFolders(IReadOnlyCollection<string> folders);
}
