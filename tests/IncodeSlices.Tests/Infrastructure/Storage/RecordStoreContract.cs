using System.Text;
using IncodeSlices.Infrastructure.Storage;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace IncodeSlices.Tests.Infrastructure.Storage;

/// <summary>What sessions and approvals rely on from a record store, whichever it is; run once per store.</summary>
public abstract class RecordStoreContract<TApp> : IClassFixture<TApp> where TApp : IncodeApp
{
    private static readonly RecordKind Forever = new("contract", Lifetime: null);
    private static readonly RecordKind Brief = new("contract-brief", Lifetime: TimeSpan.FromMinutes(10));
    private readonly TApp _app;

    protected RecordStoreContract(TApp app)
    {
        _app = app;
        _ = app.Client; // starts the host, and with it the store's connection
    }

    private IRecordStore Store => _app.Services.GetRequiredService<IRecordStore>();

    /// <summary>Lets <paramref name="kind"/>'s lifetime pass for the record under <paramref name="key"/>, as its store keeps time.</summary>
    protected abstract Task LetLifetimePassAsync(TApp app, RecordKind kind, string key);

    [Fact]
    public async Task Creates_a_record_once_and_never_overwrites_it()
    {
        Assert.True(await Store.TryAddAsync(Forever, "key-1", "first"u8.ToArray(), default));

        Assert.False(await Store.TryAddAsync(Forever, "key-1", "second"u8.ToArray(), default));
        Assert.Equal("first", Encoding.UTF8.GetString((await Store.GetAsync(Forever, "key-1", default))!));
    }

    [Fact]
    public async Task Lets_exactly_one_of_twenty_concurrent_writers_win()
    {
        var wins = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => Store.TryAddAsync(Forever, "contested", Encoding.UTF8.GetBytes($"writer-{i}"), default))));

        Assert.Equal(1, wins.Count(w => w));
        var winner = Array.IndexOf(wins, true);
        Assert.Equal($"writer-{winner}", Encoding.UTF8.GetString((await Store.GetAsync(Forever, "contested", default))!));
    }

    [Fact]
    public async Task Reads_a_missing_record_as_null()
    {
        Assert.Null(await Store.GetAsync(Forever, "never-written", default));
    }

    [Fact]
    public async Task Deletes_so_that_the_key_can_be_created_again()
    {
        await Store.TryAddAsync(Forever, "key-2", "old"u8.ToArray(), default);

        await Store.DeleteAsync(Forever, "key-2", default);

        Assert.Null(await Store.GetAsync(Forever, "key-2", default));
        Assert.True(await Store.TryAddAsync(Forever, "key-2", "new"u8.ToArray(), default));
    }

    [Fact]
    public async Task Forgets_a_record_after_its_lifetime()
    {
        await Store.TryAddAsync(Brief, "key-3", "soon gone"u8.ToArray(), default);
        Assert.NotNull(await Store.GetAsync(Brief, "key-3", default));

        await LetLifetimePassAsync(_app, Brief, "key-3");

        Assert.Null(await Store.GetAsync(Brief, "key-3", default));
        Assert.True(await Store.TryAddAsync(Brief, "key-3", "again"u8.ToArray(), default));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("UPPER")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Refuses_a_key_that_could_name_something_else(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryAddAsync(Forever, key, "x"u8.ToArray(), default));
    }

}

/// <summary>The file store judges a record's age by the server's clock, which the test moves.</summary>
public sealed class FileRecordStoreTests(IncodeApp app) : RecordStoreContract<IncodeApp>(app)
{
    protected override Task LetLifetimePassAsync(IncodeApp app, RecordKind kind, string key)
    {
        app.Clock.Advance(kind.Lifetime!.Value);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Redis keeps time itself and no test moves its clock: the store must have given the key exactly the
/// record's lifetime (PX), and Redis ending it is then Redis's part, done here by expiring it now.
/// </summary>
[Trait("Category", "Redis")]
public sealed class RedisRecordStoreTests(RedisIncodeApp app) : RecordStoreContract<RedisIncodeApp>(app)
{
    protected override async Task LetLifetimePassAsync(RedisIncodeApp app, RecordKind kind, string key)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.Url);
        var stored = (RedisKey)$"{app.Settings["REDIS_KEY_PREFIX"]}{kind.Collection}:{key}";
        var left = await redis.GetDatabase().KeyTimeToLiveAsync(stored);
        Assert.InRange(left ?? TimeSpan.Zero, kind.Lifetime!.Value - TimeSpan.FromMinutes(1), kind.Lifetime.Value);
        Assert.True(await redis.GetDatabase().KeyExpireAsync(stored, TimeSpan.Zero));
    }
}
