using System.Globalization;
using System.Net;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Decisions;

/// <summary>Sandbox mode runs durable processing whole: a session started and never delivered is reconciled, scored and relayed.</summary>
public sealed class DecisionsSandboxTests : IDisposable
{
    private readonly DecisionReceiver _receiver = new();
    private readonly TestApp _server;

    public DecisionsSandboxTests() => _server = TestApp.Sandbox(new Dictionary<string, string?>
    {
        ["WEBHOOK_PROCESSING"] = "durable",
        ["DECISIONS_URL"] = _receiver.Url,
        ["DECISIONS_SECRET"] = DecisionReceiver.Secret,
        ["RECONCILE_AFTER_SECONDS"] = "60",
        ["RECONCILE_ACTION"] = "approve",
    });

    [Fact]
    public async Task A_sandbox_session_is_reconciled_approved_and_relayed()
    {
        var started = await (await _server.Client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);

        _server.Clock.Advance(TimeSpan.FromSeconds(60));
        await _receiver.WaitForAsync(1);

        var delivery = Assert.Single(_receiver.Deliveries);
        DecisionReceiver.AssertSigned(delivery);
        var decision = Assert.Single(_receiver.Decisions);
        Assert.Equal((started["interviewId"]!.GetValue<string>(), "approved", "reconciled"),
            (decision["interviewId"]!.GetValue<string>(), decision["outcome"]!.GetValue<string>(), decision["source"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(decision["identityId"]?.GetValue<string>()));
        Assert.True(DateTimeOffset.TryParse(decision["occurredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, out _));
    }

    public void Dispose()
    {
        _server.Dispose();
        _receiver.Dispose();
    }
}
