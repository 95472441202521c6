namespace IncodeSlices.Features.Decisions;

/// <summary>
/// Items by due time, in memory, for the file store's single instance: one taken is out of the
/// schedule until it is put back (retried) or removed. Not thread-safe; its owner locks.
/// </summary>
internal sealed class Schedule<T> where T : notnull
{
    private readonly SortedSet<(long Due, string Key)> _due = [];
    private readonly Dictionary<string, (T Item, long Due)> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public IEnumerable<T> Items => _items.Values.Select(v => v.Item);

    public bool Contains(string key) => _items.ContainsKey(key);

    public bool Add(string key, T item, DateTimeOffset due)
    {
        if (!_items.TryAdd(key, (item, due.UtcTicks))) return false;
        _due.Add((due.UtcTicks, key));
        return true;
    }

    public bool TryGet(string key, out T item)
    {
        var found = _items.TryGetValue(key, out var entry);
        item = found ? entry.Item : default!;
        return found;
    }

    /// <summary>Puts <paramref name="item"/> under its key, due at <paramref name="due"/>; one taken stays taken (with the new item).</summary>
    public void Set(string key, T item, DateTimeOffset due)
    {
        if (!_items.TryGetValue(key, out var entry))
        {
            Add(key, item, due);
            return;
        }
        if (entry.Due == long.MaxValue)
        {
            _items[key] = (item, long.MaxValue);
            return;
        }
        _due.Remove((entry.Due, key));
        _items[key] = (item, due.UtcTicks);
        _due.Add((due.UtcTicks, key));
    }

    public bool TryTake(DateTimeOffset now, out T item)
    {
        item = default!;
        if (_due.Count == 0 || _due.Min.Due > now.UtcTicks) return false;
        var (_, key) = _due.Min;
        _due.Remove(_due.Min);
        item = _items[key].Item;
        _items[key] = (item, long.MaxValue); // taken: due never, until retried
        return true;
    }

    public void Retry(string key, DateTimeOffset due)
    {
        if (!_items.TryGetValue(key, out var entry)) return;
        _due.Remove((entry.Due, key));
        _items[key] = (entry.Item, due.UtcTicks);
        _due.Add((due.UtcTicks, key));
    }

    public void Remove(string key)
    {
        if (_items.Remove(key, out var entry)) _due.Remove((entry.Due, key));
    }
}
