using System.Net;
using System.Net.Sockets;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using StackExchange.Redis;

namespace IncodeSlices.Tests.Infrastructure.SessionBudget;

/// <summary>With SESSION_STORE=redis, instances behind one load balancer share one budget per address.</summary>
public sealed class SharedSessionBudgetTests : IDisposable
{
    private const string Client = "203.0.113.77";
    private readonly IncodeStub _incode = new();
    private readonly string _prefix = TestRedis.NewPrefix();
    private readonly List<TestApp> _apps = [];

    private TestApp Instance(Dictionary<string, string?> settings)
    {
        settings["RATE_LIMIT_PER_MINUTE"] = "10"; // the default; the suite's servers otherwise have none
        var app = TestApp.WithStub(_incode, settings);
        _apps.Add(app);
        return app;
    }

    [Fact]
    public async Task Two_instances_allow_one_budget_per_address_between_them()
    {
        _incode.AnswerAll();
        var first = Instance(TestRedis.Settings(_prefix));
        var second = Instance(TestRedis.Settings(_prefix));
        using var viaFirst = first.ClientFrom(Client);
        using var viaSecond = second.ClientFrom(Client);
        // Both connected to Redis before the burst: the store's probe goes through it.
        await (await viaFirst.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);
        await (await viaSecond.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? viaFirst : viaSecond).GetAsync("/start")));

        var started = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(10, started);
        Assert.Equal(10, _incode.CallsTo(IncodePaths.Start).Count);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            var body = await refused.JsonAsync(HttpStatusCode.TooManyRequests);
            Assert.False(body["success"]!.GetValue<bool>());
            var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
            Assert.InRange(retryAfter, 1, 60);
            Assert.Equal($"Too many new sessions from this address; try again in {retryAfter} seconds", body["error"]!.GetValue<string>());
        }
        await (await second.ClientFrom("203.0.113.78").GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK); // another address has its own
    }

    [Fact]
    public async Task Keeps_its_count_under_REDIS_KEY_PREFIX_for_a_minute()
    {
        _incode.AnswerAll();
        using var client = Instance(TestRedis.Settings(_prefix)).ClientFrom(Client);

        await (await client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.Url);
        var key = $"{_prefix}session-budget:{Client}";
        Assert.Equal(1, (long)await redis.GetDatabase().StringGetAsync(key));
        Assert.InRange(await redis.GetDatabase().KeyTimeToLiveAsync(key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task With_Redis_unreachable_counts_alone_and_answers_no_500()
    {
        _incode.AnswerAll();
        var settings = TestRedis.Settings(_prefix);
        settings["REDIS_URL"] = $"127.0.0.1:{ClosedPort()}";
        using var client = Instance(settings).ClientFrom(Client);

        // /start needs the store: its own 503, no Incode session (the attempt still counts, as it does
        // with Redis up). /onboarding-url does not: it is served, within the budget.
        await (await client.GetAsync("/start")).AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Session could not be stored");
        for (var i = 0; i < 9; i++) await (await client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);
        var refused = await client.GetAsync("/onboarding-url");

        await refused.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.Equal(9, _incode.CallsTo(IncodePaths.Start).Count);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener is disposed
    }

    public void Dispose()
    {
        foreach (var app in _apps) app.Dispose();
        _incode.Dispose();
    }
}
