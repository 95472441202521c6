using System.Diagnostics.Metrics;
using System.Globalization;
using IncodeSlices.Infrastructure.Telemetry;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncodeSlices.Tests.Features.Decisions;

/// <summary>
/// What the end-to-end tests of durable processing share: servers with WEBHOOK_PROCESSING=durable over
/// one store folder of the test's own (every server of a test sees it, as after a restart), one Incode
/// stub, short retries and claims on the test clock, and everything they start disposed with the test.
/// </summary>
public abstract class DurableServers : IDisposable
{
    protected static readonly TimeSpan RetryFirst = TimeSpan.FromSeconds(5);
    // Under the Incode deadline of the tests (60 s): a server whose clock jumps a claim ahead while
    // one of its Incode calls is in flight must not see that call time out.
    protected static readonly TimeSpan Claim = TimeSpan.FromSeconds(30);

    private readonly List<IDisposable> _owned = [];

    /// <param name="settings">The store's settings and the test class's own, over the durable defaults.</param>
    protected DurableServers(Dictionary<string, string?> settings)
    {
        Settings = new Dictionary<string, string?>
        {
            ["WEBHOOK_PROCESSING"] = "durable",
            ["DECISION_RETRY_FIRST_SECONDS"] = RetryFirst.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["DECISION_CLAIM_SECONDS"] = Claim.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["SESSIONS_DIR"] = Folder,
        };
        foreach (var (key, value) in settings) Settings[key] = value;
    }

    protected IncodeStub Incode { get; } = new();
    protected Dictionary<string, string?> Settings { get; }
    protected string Folder { get; } = Path.Combine(Path.GetTempPath(), "incodeslices-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A server over this test's store, booted.</summary>
    protected TestApp Server(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in more) settings[key] = value;
        var server = TestApp.WithStub(Incode, settings);
        _owned.Add(server);
        _ = server.Client;
        return server;
    }

    protected MetricCollector<long> Collect(TestApp server, string instrument)
    {
        var collector = new MetricCollector<long>(server.Services.GetRequiredService<IMeterFactory>(), ServerMetrics.MeterName, instrument);
        _owned.Add(collector);
        return collector;
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) owned.Dispose();
        Incode.Dispose();
        DisposeMore();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>What a test class starts beside the servers (a receiver of relayed decisions).</summary>
    protected virtual void DisposeMore()
    {
    }
}
