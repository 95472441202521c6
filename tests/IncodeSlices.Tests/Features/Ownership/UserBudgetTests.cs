using System.Net;
using System.Net.Http.Headers;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Ownership;

/// <summary>USER_SESSIONS_PER_HOUR: each user's own budget of billable sessions, beside the per-address one.</summary>
public sealed class UserBudgetTests : IAsyncLifetime
{
    private readonly IncodeStub _incode = new();
    private readonly List<TestApp> _apps = [];
    private TestIssuer _issuer = null!;

    public async Task InitializeAsync()
    {
        _incode.AnswerAll(freshSessions: true);
        _issuer = await TestIssuer.CreateAsync();
    }

    private async Task<TestApp> InstanceAsync(Dictionary<string, string?>? settings = null)
    {
        var app = TestApp.WithStub(_incode, _issuer.Settings(Over(new() { ["USER_SESSIONS_PER_HOUR"] = "2" }, settings)));
        _apps.Add(app);
        _ = app.Client;
        var keys = app.Services.GetService(typeof(IncodeSlices.Infrastructure.Callers.CallerKeys)) as IncodeSlices.Infrastructure.Callers.CallerKeys;
        await Eventually.HoldsAsync(() => keys!.IsLoaded, "the issuer's keys are loaded");
        await (await app.Client.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK); // Redis, if any, connected too
        return app;
    }

    private static Dictionary<string, string?> Over(Dictionary<string, string?> a, Dictionary<string, string?>? b)
    {
        foreach (var (k, v) in b ?? []) a[k] = v;
        return a;
    }

    private static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task A_user_over_the_budget_gets_429_with_Retry_After_and_no_Incode_call_and_another_user_does_not()
    {
        var app = await InstanceAsync();
        var alice = await _issuer.TokenAsync("alice");

        await (await app.Client.SendAsync(Get("/start", alice))).JsonAsync(HttpStatusCode.OK);
        await (await app.Client.SendAsync(Get("/onboarding-url", alice))).JsonAsync(HttpStatusCode.OK); // one budget for both routes
        var third = await app.Client.SendAsync(Get("/start", alice));

        var retryAfter = int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        await third.AssertErrorAsync(HttpStatusCode.TooManyRequests, $"Too many new sessions for this user; try again in {retryAfter} seconds");
        Assert.Equal(2, _incode.CallsTo(IncodePaths.Start).Count);

        await (await app.Client.SendAsync(Get("/start", await _issuer.TokenAsync("bob")))).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Resuming_and_reading_spend_nothing_of_the_budget()
    {
        var app = await InstanceAsync();
        var alice = await _issuer.TokenAsync("alice");
        var started = await (await app.Client.SendAsync(Get("/start", alice))).JsonAsync(HttpStatusCode.OK);

        for (var i = 0; i < 3; i++)
            await (await app.Client.SendAsync(Get($"/start?uniqueId={started["uniqueId"]}", alice))).JsonAsync(HttpStatusCode.OK);

        await (await app.Client.SendAsync(Get("/start", alice))).JsonAsync(HttpStatusCode.OK); // the second of two
    }

    [Fact]
    public async Task Two_instances_sharing_Redis_allow_one_budget_per_user_between_them()
    {
        var prefix = TestRedis.NewPrefix();
        var first = await InstanceAsync(TestRedis.Settings(prefix));
        var second = await InstanceAsync(TestRedis.Settings(prefix));
        var alice = await _issuer.TokenAsync("alice");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) answers.Add((await (i % 2 == 0 ? first : second).Client.SendAsync(Get("/start", alice))).StatusCode);

        Assert.Equal(2, answers.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(4, answers.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(2, _incode.CallsTo(IncodePaths.Start).Count);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) app.Dispose();
        await _issuer.DisposeAsync();
        _incode.Dispose();
    }
}
