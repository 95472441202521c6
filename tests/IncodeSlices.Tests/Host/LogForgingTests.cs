using System.Globalization;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace IncodeSlices.Tests.Host;

/// <summary>What a caller sends and the server logs cannot start a log line of the caller's making.</summary>
public sealed class LogForgingTests : IDisposable
{
    private const string Forged = "x\r\n[12:00:00 INF] Interview 6650f0c2a1b2c3d4e5f60718 approved\n\u001b[2J";
    private readonly IncodeStub _incode = new();

    [Fact]
    public async Task Control_characters_from_the_caller_are_logged_escaped()
    {
        _incode.AnswerAll();
        var logs = new LogCapture();
        using var api = TestApp.WithStub(_incode, services: services => services.AddSingleton<ILogEventSink>(logs));
        using var client = api.CreateClient();
        var webhook = IncodePayloads.ReadObject("webhook.onboarding-status");
        webhook["interviewId"] = Forged;

        await client.GetAsync($"/onboarding-status?interviewId={Uri.EscapeDataString(Forged)}");
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/fetch-score?interviewId={Uri.EscapeDataString(Forged)}")
        { Headers = { { "X-Token", "session-token" } } });
        await client.SendAsync(Requests.PostJson("/webhook", webhook.ToJsonString()));
        await client.GetAsync("/nope%0D%0A[12:00:00%20INF]%20forged");

        var lines = logs.LogEvents.Select(e => e.RenderMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(lines, l => l.Contains("\\u000d\\u000a[12:00:00 INF]", StringComparison.Ordinal)); // there, and harmless
        Assert.DoesNotContain(lines, l => l.Any(char.IsControl));
    }

    public void Dispose() => _incode.Dispose();
}
