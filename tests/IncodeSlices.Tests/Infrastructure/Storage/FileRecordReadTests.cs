using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Tests.Infrastructure.Storage;

/// <summary>
/// The file store's read, as Linux makes it (open, statx, pread, close) and as .NET made it before:
/// a file's whole bytes, whatever its size; its age from its write time; no record where a name or
/// its folder is missing; an unreadable name (a folder) a store that cannot be read, not a missing record.
/// </summary>
public sealed class FileRecordReadTests : IDisposable
{
    private static readonly RecordKind Forever = new("group", Lifetime: null);
    private static readonly RecordKind Hourly = new("group", Lifetime: TimeSpan.FromHours(1));
    private readonly string _root = Directory.CreateTempSubdirectory("incodeslices-read-").FullName;
    private readonly FileRecordStore _store;

    public FileRecordReadTests() =>
        _store = new FileRecordStore(Options.Create(new StoreOptions { SessionsDir = _root }), TimeProvider.System,
            NullLogger<FileRecordStore>.Instance, new DiskDurability());

    [Theory]
    [InlineData(0)]
    [InlineData(254)]
    [InlineData(70_000)] // more than one read's worth on most systems
    public async Task Reads_a_record_whole(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        Place("k1", bytes);

        Assert.Equal(bytes, await _store.GetAsync(Forever, "k1", default));
    }

    [Fact]
    public async Task Counts_the_age_of_a_record_from_its_write_time()
    {
        Place("fresh", "{}"u8.ToArray());
        Place("stale", "{}"u8.ToArray());
        File.SetLastWriteTimeUtc(PathOf("fresh"), DateTime.UtcNow.AddMinutes(-59));
        File.SetLastWriteTimeUtc(PathOf("stale"), DateTime.UtcNow.AddMinutes(-61));

        Assert.NotNull(await _store.GetAsync(Hourly, "fresh", default));
        Assert.Null(await _store.GetAsync(Hourly, "stale", default));
        Assert.NotNull(await _store.GetAsync(Forever, "stale", default)); // a kind without a lifetime keeps it
    }

    [Fact]
    public async Task Finds_no_record_where_its_name_or_its_folder_is_missing()
    {
        Assert.Null(await _store.GetAsync(Forever, "never-written", default)); // the folder is missing too

        File.WriteAllText(Path.Combine(_root, Forever.Collection), "a file where the folder should be");
        Assert.Null(await _store.GetAsync(Forever, "never-written", default));
    }

    [Fact]
    public async Task Reports_a_folder_under_the_name_of_a_record_as_a_store_that_cannot_be_read()
    {
        Directory.CreateDirectory(PathOf("k2"));

        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => _store.GetAsync(Forever, "k2", default));
    }

    private void Place(string key, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(key))!);
        File.WriteAllBytes(PathOf(key), bytes);
    }

    private string PathOf(string key) => Path.Combine(_root, Forever.Collection, key + ".json");

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
