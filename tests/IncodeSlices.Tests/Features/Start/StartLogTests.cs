using System.Net;
using IncodeSlices.Infrastructure.Telemetry;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Start;

/// <summary>The uniqueId returns the session token for a day: logged at no level, at debug only as a fingerprint.</summary>
public sealed class StartLogTests(StartLogTests.DebugApp app) : AppTests<StartLogTests.DebugApp>(app)
{
    public sealed class DebugApp() : IncodeApp(new Dictionary<string, string?> { ["LOG_LEVEL"] = "debug" });

    [Fact]
    public async Task Logs_no_uniqueId_or_token_even_at_debug_only_the_uniqueId_s_fingerprint()
    {
        Incode.AnswerAll();

        var body = await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var uniqueId = body["uniqueId"]!.GetValue<string>();
        await (await Client.GetAsync($"/start?uniqueId={uniqueId}")).JsonAsync(HttpStatusCode.OK);
        await App.AllRequestsEndedAsync();

        App.Logs.AssertNoneContains(uniqueId, body["token"]!.GetValue<string>());
        Assert.Contains(App.Logs.Lines, line => line.Contains(Fingerprint.Of(uniqueId), StringComparison.Ordinal));
    }
}
