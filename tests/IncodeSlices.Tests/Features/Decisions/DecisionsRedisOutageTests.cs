using System.Net;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Decisions;

/// <summary>With Redis away a delivery cannot be recorded: 503, so that Incode delivers it again, and nothing is worked.</summary>
[Trait("Category", "Redis")]
public sealed class DecisionsRedisOutageTests : IAsyncLifetime
{
    private readonly OwnRedis _redis = OwnRedis.Create();
    private readonly IncodeStub _incode = new();
    private TestApp? _server;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _server = TestApp.WithStub(_incode, new Dictionary<string, string?>
        {
            ["SESSION_STORE"] = "redis",
            ["REDIS_URL"] = _redis.Url,
            ["WEBHOOK_PROCESSING"] = "durable",
        });
        _incode.AnswerAll();
    }

    [Fact]
    public async Task Answers_503_when_Redis_cannot_take_the_delivery()
    {
        _ = _server!.Client;
        _redis.Stop();

        var webhook = await _server.Client.SendAsync(Requests.PostJson("/webhook", """{"interviewId":"down-1","onboardingStatus":"ONBOARDING_FINISHED"}"""));
        var approve = await _server.Client.SendAsync(Requests.PostJson("/approve", """{"interviewId":"down-1","onboardingStatus":"ONBOARDING_FINISHED"}"""));

        await webhook.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Storage is unavailable; retry later");
        await approve.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Storage is unavailable; retry later");
        Assert.Empty(_incode.Calls);
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _incode.Dispose();
        _redis.Dispose();
        return Task.CompletedTask;
    }
}
