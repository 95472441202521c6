using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// The decision queue with the file store, for one instance. Deliveries, the mark that one is settled,
/// and watched sessions are records of the record store (durable before they are answered,
/// create-if-absent, swept when they expire); the feed is an append-only file of one decision a line,
/// flushed to disk line by line, and a second one lists the decisions whose relay is over. What is due
/// when is kept in memory and rebuilt from those files at start-up, so what was recorded before a
/// crash is worked after it. A purge is queued by its decision's line in the feed (<c>purgeAt</c>,
/// written with the decision, so neither is kept without the other); a third file lists the
/// interviews purged (or whose purge is over), which are never queued again.
/// </summary>
internal sealed class FileDecisionStore : IDecisionStore, IDisposable
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;

    private readonly IRecordStore _records;
    private readonly DecisionRecordKinds _kinds;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _appending = new(1, 1);
    private readonly Schedule<Delivery> _pending = new();
    private readonly Schedule<long> _relays = new();
    private readonly Schedule<Watch> _watches = new();
    private readonly Schedule<Purge> _purges = new();
    private readonly HashSet<string> _purged = new(StringComparer.Ordinal);
    private readonly List<FeedEntry> _feed = [];
    private readonly Dictionary<string, long> _decided = new(StringComparer.Ordinal);
    private readonly string _folder;
    private readonly string _feedPath;
    private readonly string _relayedPath;
    private readonly string _purgedPath;
    private FileStream? _feedFile;
    private FileStream? _relayedFile;
    private FileStream? _purgedFile;
    private long _lastSequence;

    public FileDecisionStore(IRecordStore records, string root, DecisionRecordKinds kinds, DateTimeOffset now, ILogger<FileDecisionStore> logger)
    {
        _records = records;
        _kinds = kinds;
        _logger = logger;
        _folder = Path.Combine(root, "decisions");
        _feedPath = Path.Combine(_folder, "feed.jsonl");
        _relayedPath = Path.Combine(_folder, "relayed.jsonl");
        _purgedPath = Path.Combine(_folder, "purged.jsonl");
        Load(root, now);
    }

    public async Task<bool> AddDeliveryAsync(Delivery delivery, CancellationToken ct)
    {
        if (!await _records.TryAddAsync(_kinds.Deliveries, delivery.Id, delivery.ToJson(), ct)) return false;
        lock (_lock) _pending.Add(delivery.Id, delivery, delivery.ReceivedAt);
        return true;
    }

    public Task<Delivery?> TakeDeliveryAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct)
    {
        lock (_lock) return Task.FromResult(_pending.TryTake(now, out var delivery) ? delivery : null);
    }

    public Task RetryDeliveryAsync(Delivery delivery, DateTimeOffset due, CancellationToken ct)
    {
        lock (_lock) _pending.Retry(delivery.Id, due);
        return Task.CompletedTask;
    }

    public Task<bool> IsDecidedAsync(string decisionId, CancellationToken ct)
    {
        lock (_lock) return Task.FromResult(_decided.ContainsKey(decisionId));
    }

    public async Task<bool> SettleAsync(Delivery delivery, Decision? decision, bool relay, DateTimeOffset? purgeAt, DateTimeOffset now, CancellationToken ct)
    {
        var added = false;
        if (decision is not null)
        {
            await _appending.WaitAsync(ct);
            try
            {
                bool decided;
                lock (_lock) decided = _decided.ContainsKey(decision.Id);
                if (!decided)
                {
                    var sequence = _lastSequence + 1;
                    var json = decision.ToJson();
                    await AppendAsync(_feedFile!, Line(sequence, relay, purgeAt, json));
                    _lastSequence = sequence;
                    lock (_lock)
                    {
                        _feed.Add(new FeedEntry(sequence, json));
                        _decided[decision.Id] = sequence;
                        if (relay) _relays.Add(Key(sequence), sequence, now);
                        if (purgeAt is { } due) QueuePurge(decision.InterviewId, due);
                    }
                    added = true;
                }
            }
            finally
            {
                _appending.Release();
            }
        }

        // After the decision: a crash in between works the delivery again, and finds it decided.
        await _records.TryAddAsync(_kinds.Settled, delivery.Id, "{}"u8.ToArray(), ct);
        lock (_lock) _pending.Remove(delivery.Id);
        return added;
    }

    public Task<IReadOnlyList<FeedEntry>> ReadAsync(long after, int limit, CancellationToken ct)
    {
        lock (_lock)
        {
            var start = FirstAfter(after);
            return Task.FromResult<IReadOnlyList<FeedEntry>>(_feed.Skip(start).Take(limit).ToList());
        }
    }

    public Task<FeedEntry?> TakeRelayAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_relays.TryTake(now, out var sequence)) return Task.FromResult<FeedEntry?>(null);
            var index = FirstAfter(sequence - 1);
            return Task.FromResult(index < _feed.Count && _feed[index].Sequence == sequence ? _feed[index] : null);
        }
    }

    public Task RetryRelayAsync(long sequence, DateTimeOffset due, CancellationToken ct)
    {
        lock (_lock) _relays.Retry(Key(sequence), due);
        return Task.CompletedTask;
    }

    public async Task EndRelayAsync(long sequence, CancellationToken ct)
    {
        await _appending.WaitAsync(ct);
        try
        {
            await AppendAsync(_relayedFile!, sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            _appending.Release();
        }
        lock (_lock) _relays.Remove(Key(sequence));
    }

    public async Task WatchAsync(Watch watch, DateTimeOffset due, CancellationToken ct)
    {
        if (!await _records.TryAddAsync(_kinds.Watches, watch.Key, JsonSerializer.SerializeToUtf8Bytes(watch, DecisionJson.Default.Watch), ct)) return;
        lock (_lock) _watches.Add(watch.Key, watch, due);
    }

    public Task<Watch?> TakeWatchAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct)
    {
        lock (_lock) return Task.FromResult(_watches.TryTake(now, out var watch) ? watch : null);
    }

    public Task RetryWatchAsync(Watch watch, DateTimeOffset due, CancellationToken ct)
    {
        lock (_lock) _watches.Retry(watch.Key, due);
        return Task.CompletedTask;
    }

    public async Task EndWatchAsync(Watch watch, CancellationToken ct)
    {
        await _records.DeleteAsync(_kinds.Watches, watch.Key, ct);
        lock (_lock) _watches.Remove(watch.Key);
    }

    public Task<Purge?> TakePurgeAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct)
    {
        lock (_lock) return Task.FromResult(_purges.TryTake(now, out var purge) ? purge : null);
    }

    public Task RetryPurgeAsync(Purge purge, DateTimeOffset due, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_purges.TryGet(purge.InterviewId, out var queued) && queued.Due > due) due = queued.Due;
            _purges.Retry(purge.InterviewId, due);
        }
        return Task.CompletedTask;
    }

    public async Task EndPurgeAsync(Purge purge, DateTimeOffset now, CancellationToken ct)
    {
        await _appending.WaitAsync(ct);
        try
        {
            await AppendAsync(_purgedFile!, JsonValue.Create(purge.InterviewId).ToJsonString());
        }
        finally
        {
            _appending.Release();
        }
        lock (_lock)
        {
            _purged.Add(purge.InterviewId);
            _purges.Remove(purge.InterviewId);
        }
    }

    public Task<(long Count, DateTimeOffset? Oldest)> BacklogAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            var oldest = _pending.Count == 0 ? (DateTimeOffset?)null : _pending.Items.Min(d => d.ReceivedAt);
            return Task.FromResult(((long)_pending.Count, oldest));
        }
    }

    /// <summary>Rewrites the feed without what is older than <paramref name="before"/> (a new file, renamed over the old).</summary>
    public async Task TrimAsync(DateTimeOffset before, CancellationToken ct)
    {
        await _appending.WaitAsync(ct);
        try
        {
            List<FeedEntry> kept;
            lock (_lock)
            {
                var expired = _feed.TakeWhile(e => e.OccurredAt() < before).Count();
                if (expired == 0) return;
                kept = _feed.Skip(expired).ToList();
            }
            var temporary = _feedPath + ".tmp";
            await using (var file = Create(temporary, FileMode.Create))
            {
                foreach (var entry in kept)
                {
                    bool relays;
                    DateTimeOffset? purgeAt = null;
                    lock (_lock)
                    {
                        relays = _relays.Contains(Key(entry.Sequence));
                        // A purge still queued keeps its due time in the lines of its interview's decisions.
                        if (Parse(entry.Json)?["interviewId"]?.GetValue<string>() is { } interviewId && _purges.TryGet(interviewId, out var purge))
                            purgeAt = purge.Due;
                    }
                    await file.WriteAsync(Encoding.UTF8.GetBytes(Line(entry.Sequence, relays, purgeAt, entry.Json) + "\n"), ct);
                }
                file.Flush(flushToDisk: true);
            }
            _feedFile!.Dispose();
            File.Move(temporary, _feedPath, overwrite: true);
            _feedFile = Create(_feedPath, FileMode.Append);
            lock (_lock)
            {
                foreach (var gone in _feed.Take(_feed.Count - kept.Count)) _decided.Remove(IdOf(gone.Json) ?? "");
                _feed.Clear();
                _feed.AddRange(kept);
            }
        }
        finally
        {
            _appending.Release();
        }
    }

    public void Dispose()
    {
        _feedFile?.Dispose();
        _relayedFile?.Dispose();
        _purgedFile?.Dispose();
    }

    private void Load(string root, DateTimeOffset now)
    {
        if (!Directory.Exists(_folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(_folder);
            else Directory.CreateDirectory(_folder, OwnerOnlyFolder);
        }

        var relayed = ReadLines(_relayedPath).Select(l => long.TryParse(l, out var s) ? s : 0).ToHashSet();
        foreach (var line in ReadLines(_purgedPath))
            if (Parse(line) is JsonValue value && value.TryGetValue<string>(out var interviewId)) _purged.Add(interviewId);
        foreach (var line in ReadLines(_feedPath))
        {
            // A line cut short by a crash was never answered as stored: it is skipped.
            if (Parse(line) is not { } node || node["seq"]?.GetValue<long>() is not { } sequence || node["decision"] is not JsonObject decision) continue;
            var json = decision.ToJsonString();
            _feed.Add(new FeedEntry(sequence, json));
            _decided[decision["id"]?.GetValue<string>() ?? ""] = sequence;
            _lastSequence = Math.Max(_lastSequence, sequence);
            if (node["relay"]?.GetValue<bool>() == true && !relayed.Contains(sequence)) _relays.Add(Key(sequence), sequence, now);
            if (node["purgeAt"]?.GetValue<long>() is { } purgeAt && decision["interviewId"]?.GetValue<string>() is { } interviewId)
                QueuePurge(interviewId, DateTimeOffset.FromUnixTimeMilliseconds(purgeAt));
        }
        _feedFile = Create(_feedPath, FileMode.Append);
        _relayedFile = Create(_relayedPath, FileMode.Append);
        _purgedFile = Create(_purgedPath, FileMode.Append);

        // Names only, then reading just the deliveries never settled: the folders hold every delivery of the retention time.
        var settled = RecordFiles(root, _kinds.Settled).Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        foreach (var path in RecordFiles(root, _kinds.Deliveries))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (!RecordKeys.IsSafe(id) || settled.Contains(id)) continue;
            if (_records.GetAsync(_kinds.Deliveries, id, CancellationToken.None).GetAwaiter().GetResult() is not { } bytes) continue;
            if (Delivery.FromJson(bytes) is { } delivery) _pending.Add(id, delivery, now);
        }
        foreach (var path in RecordFiles(root, _kinds.Watches))
        {
            var key = Path.GetFileNameWithoutExtension(path);
            if (!RecordKeys.IsSafe(key)) continue;
            if (_records.GetAsync(_kinds.Watches, key, CancellationToken.None).GetAwaiter().GetResult() is not { } bytes) continue;
            if (JsonSerializer.Deserialize(bytes, DecisionJson.Default.Watch) is { } watch) _watches.Add(key, watch, now);
        }
        if (_pending.Count > 0 || _relays.Count > 0)
            _logger.LogInformation("Decision queue: {Deliveries} deliveries and {Relays} relays left from an earlier run", _pending.Count, _relays.Count);
    }

    /// <summary>Queued, or due no earlier than <paramref name="due"/> if queued already; never again once purged. The caller locks.</summary>
    private void QueuePurge(string interviewId, DateTimeOffset due)
    {
        if (_purged.Contains(interviewId)) return;
        if (_purges.TryGet(interviewId, out var queued) && queued.Due >= due) return;
        _purges.Set(interviewId, new Purge(interviewId, due), due);
    }

    private static string Line(long sequence, bool relay, DateTimeOffset? purgeAt, string decisionJson)
    {
        var line = new JsonObject { ["seq"] = sequence, ["relay"] = relay };
        if (purgeAt is { } due) line["purgeAt"] = due.ToUnixTimeMilliseconds();
        line["decision"] = JsonNode.Parse(decisionJson);
        return line.ToJsonString();
    }

    private int FirstAfter(long after)
    {
        // The feed is in sequence order: a binary search for the first entry past the cursor.
        int low = 0, high = _feed.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_feed[mid].Sequence <= after) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    private static async Task AppendAsync(FileStream file, string line)
    {
        await file.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        file.Flush(flushToDisk: true);
    }

    private static FileStream Create(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        var file = new FileStream(path, options);
        // A line cut short by a crash must not run into the next one.
        if (mode == FileMode.Append && file.Length > 0 && LastByte(path) != (byte)'\n') file.Write("\n"u8);
        return file;
    }

    private static byte LastByte(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return (byte)read.ReadByte();
    }

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    private static IEnumerable<string> RecordFiles(string root, RecordKind kind)
    {
        var folder = Path.Combine(root, kind.Collection);
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.json") : [];
    }

    private static JsonNode? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? IdOf(string json) => Parse(json)?["id"]?.GetValue<string>();

    private static string Key(long sequence) => sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The record kinds of the decision queue in the record store (swept by it when they expire).</summary>
internal sealed record DecisionRecordKinds(RecordKind Deliveries, RecordKind Settled, RecordKind Watches)
{
    public static DecisionRecordKinds For(DecisionOptions options, TimeSpan sessionLifetime) => new(
        new RecordKind("decision-deliveries", options.Retention),
        new RecordKind("decision-settled", options.Retention),
        new RecordKind("decision-watches", sessionLifetime + options.ReconcileAfter));
}
