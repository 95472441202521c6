using System.Text;
using IncodeSlices.Infrastructure.Storage;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Tests.Infrastructure.Storage;

/// <summary>
/// The file store's writer: a batch's files are flushed, published, their names flushed, and only
/// then answered; a failed flush takes its batch back; one bad record fails alone; and two stores
/// over one folder (two processes, say) still let exactly one writer win a key.
/// </summary>
public sealed class FileRecordWriterTests : IDisposable
{
    private static readonly RecordKind Kind = new("group", Lifetime: null);
    private readonly string _root = Directory.CreateTempSubdirectory("incodeslices-group-").FullName;
    private readonly List<FileRecordStore> _stores = [];

    [Fact]
    public async Task Answers_a_write_only_after_the_flush_that_follows_its_publication()
    {
        using var flush = new HeldFlush();
        var store = NewStore(flush.Flush);

        var write = store.TryAddAsync(Kind, "k1", "one"u8.ToArray(), default);

        Assert.True(await flush.BeganAsync());
        Assert.True(File.Exists(PathOf("k1")), "published before the flush");
        Assert.False(write.IsCompleted, "answered before the flush ended"); // the writer is inside the flush, which is held

        flush.Release();
        Assert.True(await write);
    }

    [Fact]
    public async Task Flushes_once_for_every_record_waiting_when_the_writer_gets_to_them()
    {
        using var firstFlushMayEnd = new SemaphoreSlim(0);
        var firstFlushBegan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var flushes = 0;
        var store = NewStore(_ =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstFlushBegan.SetResult();
                firstFlushMayEnd.Wait();
            }
            return true;
        });

        var first = store.TryAddAsync(Kind, "first", "1"u8.ToArray(), default);
        await firstFlushBegan.Task;
        // Arrive while the first batch is being flushed: the next batch takes all of them.
        var waiting = Enumerable.Range(0, 50).Select(i => store.TryAddAsync(Kind, $"next-{i}", "n"u8.ToArray(), default)).ToArray();
        firstFlushMayEnd.Release();

        Assert.True(await first);
        Assert.All(await Task.WhenAll(waiting), Assert.True);
        Assert.Equal(2, Volatile.Read(ref flushes));
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal("n", File.ReadAllText(PathOf($"next-{i}"))));
    }

    [Fact]
    public async Task Takes_back_a_batch_whose_flush_failed_and_tells_every_caller()
    {
        var failing = true;
        var store = NewStore(_ => Volatile.Read(ref failing) ? throw new IOException("disk gone") : true);

        var error = await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => store.TryAddAsync(Kind, "lost", "x"u8.ToArray(), default));

        Assert.IsType<IOException>(error.InnerException);
        Assert.False(File.Exists(PathOf("lost")));
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)); // no temporary file either
        Volatile.Write(ref failing, false);
        Assert.True(await store.TryAddAsync(Kind, "lost", "y"u8.ToArray(), default)); // the key is free again
    }

    [Fact]
    public async Task Survives_a_flush_that_fails_in_an_unexpected_way_and_goes_on_writing()
    {
        var flushes = 0;
        var store = NewStore(_ => Interlocked.Increment(ref flushes) == 1 ? throw new InvalidOperationException("a bug, say") : true);

        var error = await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => store.TryAddAsync(Kind, "first", "1"u8.ToArray(), default));

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.True(await store.TryAddAsync(Kind, "second", "2"u8.ToArray(), default).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("2", File.ReadAllText(PathOf("second")));
    }

    [Fact]
    public async Task Tells_a_writer_its_key_is_taken_only_once_the_record_holding_it_is_on_disk()
    {
        var flushes = 0;
        using var firstFlushMayEnd = new SemaphoreSlim(0);
        var firstFlushBegan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = NewStore(_ =>
        {
            if (Interlocked.Increment(ref flushes) > 1) throw new IOException("disk gone");
            firstFlushBegan.SetResult();
            firstFlushMayEnd.Wait();
            return true;
        });
        var earlier = store.TryAddAsync(Kind, "earlier", "e"u8.ToArray(), default);
        await firstFlushBegan.Task;
        var winner = store.TryAddAsync(Kind, "same", "w"u8.ToArray(), default); // one batch, whose flush fails
        var loser = store.TryAddAsync(Kind, "same", "l"u8.ToArray(), default);

        firstFlushMayEnd.Release();

        Assert.True(await earlier);
        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => winner);
        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => loser); // not "taken": nothing holds the key
        Assert.False(File.Exists(PathOf("same")));
    }

    [Fact]
    public async Task Fails_only_the_record_that_cannot_be_written_not_the_rest_of_its_batch()
    {
        var store = NewStore(_ => true);
        File.WriteAllText(Path.Combine(_root, "blocked"), "a file where the collection's folder would be");
        var blocked = new RecordKind("blocked", Lifetime: null);

        var writes = Enumerable.Range(0, 20)
            .Select(i => i == 10 ? store.TryAddAsync(blocked, "k", "x"u8.ToArray(), default) : store.TryAddAsync(Kind, $"ok-{i}", "x"u8.ToArray(), default))
            .ToArray();

        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => writes[10]);
        Assert.All(writes.Where((_, i) => i != 10), w => Assert.True(w.Result));
    }

    [Fact]
    public async Task Lets_exactly_one_writer_win_across_two_stores_over_one_folder()
    {
        var stores = new[] { NewStore(_ => true), NewStore(_ => true) };

        for (var round = 0; round < 20; round++)
        {
            var key = $"contested-{round}";
            var wins = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                Task.Run(() => stores[i % 2].TryAddAsync(Kind, key, Encoding.UTF8.GetBytes($"writer-{i}"), default))));

            Assert.Equal(1, wins.Count(w => w));
            Assert.Equal($"writer-{Array.IndexOf(wins, true)}", File.ReadAllText(PathOf(key)));
        }
        Assert.Empty(Directory.EnumerateFiles(_root, "*" + RecordFiles.TempSuffix, SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Writes_what_was_queued_before_it_was_disposed_and_refuses_what_comes_after()
    {
        using var flush = new HeldFlush();
        var store = NewStore(flush.Flush);
        var flushing = store.TryAddAsync(Kind, "flushing", "f"u8.ToArray(), default);
        Assert.True(await flush.BeganAsync());
        var queued = store.TryAddAsync(Kind, "queued", "q"u8.ToArray(), default); // waits for the next batch

        var disposing = Task.Run(store.Dispose); // returns once the writer has finished what it was given
        flush.Release(2); // this batch and the next
        await disposing.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(flushing.IsCompletedSuccessfully && queued.IsCompletedSuccessfully);
        Assert.True(await queued);
        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => store.TryAddAsync(Kind, "late", "l"u8.ToArray(), default));
        Assert.False(File.Exists(PathOf("late")));
    }

    [Fact]
    public async Task Makes_each_file_s_data_durable_before_its_name_is_published_and_the_names_after()
    {
        var durability = new RecordingDurability(PathOf);
        var store = NewStore(durability);
        var other = new RecordKind("group-other", Lifetime: null);

        var writes = Enumerable.Range(0, 6)
            .Select(i => store.TryAddAsync(i % 2 == 0 ? Kind : other, $"k-{i}", "x"u8.ToArray(), default)).ToArray();

        Assert.All(await Task.WhenAll(writes), Assert.True);
        Assert.Equal(6, durability.FilesFlushedBeforeAnyName);
        Assert.Equal(
            [Path.Combine(_root, Kind.Collection), Path.Combine(_root, other.Collection)],
            durability.FoldersFlushed.Distinct().Order());
        Assert.True(durability.EveryNamePublishedBeforeItsFolderFlush);
    }

    [Fact]
    public void Sweeps_while_running_only_temporary_files_too_old_to_be_writes_in_flight()
    {
        var store = NewStore(_ => true);
        var folder = Directory.CreateDirectory(Path.Combine(_root, Kind.Collection)).FullName;
        var young = Path.Combine(folder, ".k.young" + RecordFiles.TempSuffix);
        var old = Path.Combine(folder, ".k.old" + RecordFiles.TempSuffix);
        File.WriteAllText(young, "");
        File.WriteAllText(old, "");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddMinutes(-2));

        Assert.Equal(1, store.Sweep([], temporaryOlderThan: TimeSpan.FromMinutes(1))); // every 10 minutes
        Assert.True(File.Exists(young));
        Assert.False(File.Exists(old));

        Assert.Equal(1, store.Sweep([], temporaryOlderThan: TimeSpan.Zero)); // at start-up, before any write
        Assert.False(File.Exists(young));
    }

    /// <summary>
    /// The server's clock may run ahead of the file system's (in tests it is moved by hours): a write
    /// in flight is judged by the file system's time, so a sweep then does not take the temporary
    /// file from under the writer (it did, and the write failed as 503).
    /// </summary>
    [Fact]
    public void Keeps_a_young_temporary_file_when_the_server_s_clock_is_far_ahead()
    {
        var clock = new TestClock();
        var store = NewStore(new FlushAtTheEnd(_root, _ => true), clock);
        var folder = Directory.CreateDirectory(Path.Combine(_root, Kind.Collection)).FullName;
        var young = Path.Combine(folder, ".k.young" + RecordFiles.TempSuffix);
        File.WriteAllText(young, "");
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, store.Sweep([], temporaryOlderThan: TimeSpan.FromMinutes(1)));
        Assert.True(File.Exists(young));
    }

    [Fact]
    public async Task Publishes_a_record_of_a_kind_that_is_not_durable_without_flushing_it_or_its_folder()
    {
        var durability = new RecordingDurability(PathOf);
        var store = NewStore(durability);
        var index = new RecordKind("group-index", Lifetime: null, Durable: false);

        var writes = Enumerable.Range(0, 6)
            .Select(i => store.TryAddAsync(i % 2 == 0 ? Kind : index, $"k-{i}", "x"u8.ToArray(), default)).ToArray();

        Assert.All(await Task.WhenAll(writes), Assert.True);
        Assert.Equal(3, durability.FilesFlushedBeforeAnyName); // the durable three only
        Assert.Equal([Path.Combine(_root, Kind.Collection)], durability.FoldersFlushed.Distinct());
        Assert.Equal("x", await File.ReadAllTextAsync(Path.Combine(_root, index.Collection, "k-1.json"))); // published all the same
    }

    /// <summary>A store whose batches end in <paramref name="flush"/> (called with the root; throwing fails the batch).</summary>
    private FileRecordStore NewStore(Func<string, bool> flush) => NewStore(new FlushAtTheEnd(_root, flush));

    private FileRecordStore NewStore(IRecordDurability durability, TimeProvider? clock = null)
    {
        var store = new FileRecordStore(
            Options.Create(new StoreOptions { SessionsDir = _root }), clock ?? TimeProvider.System, NullLogger<FileRecordStore>.Instance, durability);
        _stores.Add(store);
        return store;
    }

    /// <summary>The test's flush stands for the batch's, where the names are made durable; the files' data is left to the page cache.</summary>
    private sealed class FlushAtTheEnd(string root, Func<string, bool> flush) : IRecordDurability
    {
        public void FlushFiles(IReadOnlyList<Microsoft.Win32.SafeHandles.SafeFileHandle> files)
        {
        }

        public void FlushFolders(IReadOnlyCollection<string> folders) => flush(root);
    }

    /// <summary>The real flushes, noting what each covered and what was published by then.</summary>
    private sealed class RecordingDurability(Func<string, string> pathOf) : IRecordDurability
    {
        private readonly DiskDurability _disk = new();
        public int FilesFlushedBeforeAnyName { get; private set; }
        public List<string> FoldersFlushed { get; } = [];
        public bool EveryNamePublishedBeforeItsFolderFlush { get; private set; } = true;

        public void FlushFiles(IReadOnlyList<Microsoft.Win32.SafeHandles.SafeFileHandle> files)
        {
            _disk.FlushFiles(files);
            if (!Enumerable.Range(0, 6).Any(i => File.Exists(pathOf($"k-{i}")))) FilesFlushedBeforeAnyName += files.Count;
        }

        public void FlushFolders(IReadOnlyCollection<string> folders)
        {
            _disk.FlushFolders(folders);
            FoldersFlushed.AddRange(folders);
            EveryNamePublishedBeforeItsFolderFlush &= folders.All(f => Directory.EnumerateFiles(f, "k-*.json").Any());
        }
    }

    /// <summary>A flush that holds the writer until the test lets it go, and tells when it began.</summary>
    private sealed class HeldFlush : IDisposable
    {
        private readonly SemaphoreSlim _began = new(0);
        private readonly SemaphoreSlim _mayEnd = new(0);

        public bool Flush(string root)
        {
            _began.Release();
            _mayEnd.Wait();
            return true;
        }

        public Task<bool> BeganAsync() => _began.WaitAsync(TimeSpan.FromSeconds(10));

        public void Release(int flushes = 1) => _mayEnd.Release(flushes);

        public void Dispose()
        {
            _began.Dispose();
            _mayEnd.Dispose();
        }
    }

    private string PathOf(string key) => Path.Combine(_root, Kind.Collection, key + ".json");


    public void Dispose()
    {
        foreach (var store in _stores) store.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
