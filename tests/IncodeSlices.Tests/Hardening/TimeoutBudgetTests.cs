using System.Diagnostics;
using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Hardening;

/// <summary>INCODE_TIMEOUT_SECONDS is what a caller waits in all, not per Incode call.</summary>
[Collection(HardeningCollection.Name), Trait("Category", "Hardening")]
public sealed class TimeoutBudgetTests : IDisposable
{
    private const double TotalSeconds = 4;
    private readonly IncodeStub _incode = new();

    [Theory]
    [InlineData("/onboarding-url", "POST", IncodePaths.Start, "GET", IncodePaths.OnboardingUrl)]
    [InlineData("/approve", "GET", IncodePaths.Score, "POST", IncodePaths.ProcessApprove)]
    public async Task A_route_that_makes_two_calls_answers_504_within_one_total_timeout(
        string route, string firstMethod, string first, string secondMethod, string second)
    {
        // The first call takes most of the budget without failing; the second never answers in time.
        foreach (var (method, path, payload) in IncodeCalls.All)
            _incode.Answer(method, path, 200, IncodePayloads.Read(payload), delay:
                path == first && method == firstMethod ? TimeSpan.FromSeconds(2.5)
                : path == second && method == secondMethod ? TimeSpan.FromSeconds(5) : null);
        using var api = new ApiFactory(_incode, new Dictionary<string, string?>
        {
            ["INCODE_TIMEOUT_SECONDS"] = TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "3.5",
        });
        using var client = api.CreateClient();
        (await client.GetAsync("/onboarding-status?interviewId=warm-up")).EnsureSuccessStatusCode(); // start-up is not timed
        var request = route == "/approve"
            ? Http.PostJson(route, IncodePayloads.Read("webhook.onboarding-status"))
            : new HttpRequestMessage(HttpMethod.Get, route);

        var clock = Stopwatch.StartNew();
        var response = await client.SendAsync(request);

        // With a budget per call it would take 2.5 s plus the second call's timeout.
        Assert.True(clock.Elapsed.TotalSeconds <= TotalSeconds + 1, $"answered after {clock.ElapsedMilliseconds} ms");
        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, $"Incode {second} did not answer in time");
    }

    public void Dispose() => _incode.Dispose();
}
