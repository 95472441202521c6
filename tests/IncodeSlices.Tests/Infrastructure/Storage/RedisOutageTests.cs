using System.Diagnostics;
using System.Net;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Infrastructure.Storage;

/// <summary>Redis goes away and comes back while the server runs.</summary>
[Trait("Category", "Redis")]
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly OwnRedis _redis = OwnRedis.Create();
    private readonly IncodeStub _incode = new();
    private TestApp? _api;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _api = TestApp.WithStub(_incode, new Dictionary<string, string?>
        {
            ["SESSION_STORE"] = "redis",
            ["REDIS_URL"] = _redis.Url,
        });
        _client = _api.CreateClient();
        _incode.AnswerAll();
    }

    [Fact]
    public async Task Answers_503_quickly_without_creating_a_session_and_recovers_by_itself()
    {
        var before = await (await _client!.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        _redis.Stop();
        _incode.Reset();
        _incode.AnswerAll();

        var clock = Stopwatch.StartNew();
        var down = await WaitForStatusAsync(HttpStatusCode.ServiceUnavailable, "/start");
        var resumeDown = await _client.GetAsync($"/start?uniqueId={before["uniqueId"]}");

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        await down.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Session could not be stored");
        await resumeDown.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Storage is unavailable; retry later");
        Assert.Empty(_incode.Calls); // no billable session was created that could not be kept
        var notReady = await (await _client.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("failed", notReady["checks"]!["store"]!.GetValue<string>());

        await _redis.StartAsync(); // an empty Redis on the same port: the reconnect is the point
        var up = await WaitForStatusAsync(HttpStatusCode.OK, "/start");
        await up.JsonAsync(HttpStatusCode.OK);
        await (await _client.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Polls until the answer has the status (the multiplexer notices a change within a second or so).</summary>
    private async Task<HttpResponseMessage> WaitForStatusAsync(HttpStatusCode status, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await _client!.GetAsync(path);
            if (response.StatusCode == status || DateTime.UtcNow > deadline) return response;
            await Task.Delay(200);
        }
    }

    public Task DisposeAsync()
    {
        _client?.Dispose();
        _api?.Dispose();
        _incode.Dispose();
        _redis.Dispose();
        return Task.CompletedTask;
    }
}
