using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// WireMock standing in for the integrator's app at DECISIONS_URL: it answers 200 unless told
/// otherwise, and a test waits for deliveries as they arrive (WireMock logs each once answered).
/// </summary>
public sealed class DecisionReceiver : IDisposable
{
    public const string Path = "/incode/decisions";
    public const string Secret = "test-decisions-secret-0123456789abcdef";

    private readonly SemaphoreSlim _answered = new(0);

    public DecisionReceiver()
    {
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            Port = FreePorts.Next(),
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(async (HttpContext context, Func<Task> next) =>
            {
                await next();
                _answered.Release();
            }),
        });
        Answer(200);
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url + Path;

    /// <summary>From now on every delivery is answered <paramref name="status"/>; those logged so far stay logged.</summary>
    public void Answer(int status)
    {
        Server.ResetMappings();
        Server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithStatusCode(status));
    }

    public IReadOnlyList<ILogEntry> Deliveries => Server.LogEntries.Where(e => e.RequestMessage.Path == Path).ToList();

    public IReadOnlyList<JsonObject> Decisions => Deliveries.Select(d => JsonNode.Parse(d.RequestMessage.Body!)!.AsObject()).ToList();

    /// <summary>Waits, woken by each delivery answered, until <paramref name="count"/> have come (a minute at most).</summary>
    public async Task WaitForAsync(int count)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (Deliveries.Count < count) await _answered.WaitAsync(TimeSpan.FromMilliseconds(100), patience.Token);
    }

    /// <summary>What an app does with a delivery: the signature made with the secret over <c>t.body</c>, checked as a receiver would.</summary>
    public static void AssertSigned(ILogEntry delivery)
    {
        var header = delivery.Header("Incode-Slices-Signature");
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{delivery.RequestMessage.Body}"));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"])), "the signature does not verify");
        Assert.Equal(JsonNode.Parse(delivery.RequestMessage.Body!)!["id"]!.GetValue<string>(), delivery.Header("Incode-Slices-Event-Id"));
        Assert.Equal("application/json", delivery.Header("Content-Type"));
    }

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}
