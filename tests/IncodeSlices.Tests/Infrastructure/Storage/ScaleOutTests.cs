using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Infrastructure.Storage;

/// <summary>Two instances behind a load balancer, sharing one Redis.</summary>
[Trait("Category", "Redis")]
public sealed class ScaleOutTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly TestApp _first;
    private readonly TestApp _second;
    private readonly HttpClient _one;
    private readonly HttpClient _two;

    public ScaleOutTests()
    {
        var prefix = TestRedis.NewPrefix();
        _first = TestApp.WithStub(_incode, TestRedis.Settings(prefix));
        _second = TestApp.WithStub(_incode, TestRedis.Settings(prefix));
        _one = _first.CreateClient();
        _two = _second.CreateClient();
        _incode.AnswerAll();
    }

    [Fact]
    public async Task A_session_started_on_one_instance_resumes_on_the_other()
    {
        var started = await (await _one.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        var resumed = await (await _two.GetAsync($"/start?uniqueId={started["uniqueId"]}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(started.ToJsonString(), resumed.ToJsonString());
        Assert.False(Directory.Exists(_second.SessionsDir) && Directory.EnumerateFileSystemEntries(_second.SessionsDir).Any());
    }

    [Fact]
    public async Task Twenty_concurrent_deliveries_split_across_both_approve_once()
    {
        _incode.Reset();
        _incode.AnswerPayload("GET", IncodePaths.Score, "score.onboarding.response")
            .Respond("POST", IncodePaths.ProcessApprove, r => r.WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(IncodePayloads.Read("process-approve.response")).WithDelay(TimeSpan.FromMilliseconds(300)));
        const string delivery = """{"interviewId":"scale-out-1","onboardingStatus":"ONBOARDING_FINISHED"}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            await (await (i % 2 == 0 ? _one : _two).SendAsync(Requests.PostJson("/approve", delivery))).JsonAsync(HttpStatusCode.OK)));

        Assert.Single(_incode.CallsTo(IncodePaths.ProcessApprove));
        Assert.All(answers, a => Assert.True(a["success"]!.GetValue<bool>()));
    }

    public void Dispose()
    {
        _one.Dispose();
        _two.Dispose();
        _first.Dispose();
        _second.Dispose();
        _incode.Dispose();
    }
}
