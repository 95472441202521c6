using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Infrastructure.Incode;

/// <summary>INCODE_TIMEOUT_SECONDS is what a caller waits in all, not per Incode call.</summary>
public sealed class IncodeDeadlineTests
{
    [Theory]
    [InlineData("/onboarding-url", "POST", IncodePaths.Start, "omni-start.response", "GET", IncodePaths.OnboardingUrl)]
    [InlineData("/approve", "GET", IncodePaths.Score, "score.onboarding.response", "POST", IncodePaths.ProcessApprove)]
    public async Task A_route_that_makes_two_calls_answers_504_within_one_total_timeout(
        string route, string firstMethod, string first, string firstPayload, string secondMethod, string second)
    {
        // Attempts as long as the whole budget: only the budget can end the second call.
        using var app = IncodeApp.With(new Dictionary<string, string?> { ["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "60" });
        var answerFirst = app.Incode.Hold(firstMethod, first, firstPayload);
        app.Incode.Stall(secondMethod, second);
        var request = route == "/approve"
            ? Requests.PostJson(route, IncodePayloads.Read("webhook.onboarding-status"))
            : new HttpRequestMessage(HttpMethod.Get, route);

        var pending = app.Client.SendAsync(request);
        await app.Incode.WaitForArrivalsAsync(first);
        app.Clock.Advance(TimeSpan.FromSeconds(50)); // the first call takes most of the 60 s, and succeeds
        answerFirst();
        await app.Incode.WaitForArrivalsAsync(second);
        app.Clock.Advance(TimeSpan.FromSeconds(15)); // with a budget per call, the second would still have 45 s

        var response = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, $"Incode {second} did not answer in time");
    }
}
