using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The Redis the suite runs against: <c>INCODESLICES_TEST_REDIS</c> when set (.ci/run sets it to a
/// real redis-server), else a redis-server the suite starts itself when one is installed, else an
/// in-process Garnet, Microsoft's Redis-compatible server, so the suite needs nothing but the .NET SDK.
/// Each fixture gets its own key prefix, so tests never see each other's keys.
/// </summary>
public static class TestRedis
{
    private static readonly Lazy<string> Shared = new(() =>
    {
        if (Environment.GetEnvironmentVariable("INCODESLICES_TEST_REDIS") is { Length: > 0 } url) return url;
        var own = OwnRedis.Create();
        own.StartAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => own.Dispose();
        return own.Url;
    });

    public static string Url => Shared.Value;

    public static string NewPrefix() => $"test-{Guid.NewGuid():N}:";

    public static Dictionary<string, string?> Settings(string prefix) => new()
    {
        ["SESSION_STORE"] = "redis",
        // The server's one-second timeouts, meant to fail fast while Redis is away, would fail commands
        // on a machine busy enough to delay the in-process Garnet; outages have tests of their own.
        ["REDIS_URL"] = $"{Url},asyncTimeout=10000,syncTimeout=10000",
        ["REDIS_KEY_PREFIX"] = prefix,
    };
}

/// <summary>A Redis of a test's own on a free loopback port, that the test can stop and start again.</summary>
public abstract class OwnRedis : IDisposable
{
    protected OwnRedis() => Port = FreePorts.Next();

    public int Port { get; }
    public string Url => $"127.0.0.1:{Port}";

    /// <summary>Debian's redis-server when it is installed and runs, else Garnet in this process.</summary>
    public static OwnRedis Create() => RedisServerProcess.IsInstalled ? new RedisServerProcess() : new InProcessGarnet();

    public abstract Task StartAsync();

    /// <summary>Gone at once: connections drop and the port refuses new ones.</summary>
    public abstract void Stop();

    public void Dispose() => Stop();

    protected async Task WaitUntilListeningAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }
        throw new TimeoutException($"{GetType().Name} did not listen on {Port}");
    }
}

internal sealed class RedisServerProcess : OwnRedis
{
    private Process? _process;

    /// <summary>On PATH and answering <c>--version</c>: a binary made unreachable for a run does not count.</summary>
    public static bool IsInstalled { get; } = Probe();

    public override async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            info.ArgumentList.Add(arg);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await WaitUntilListeningAsync();
    }

    public override void Stop()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.WaitForExit();
        _process?.Dispose();
        _process = null;
    }

    private static bool Probe()
    {
        try
        {
            using var version = Process.Start(new ProcessStartInfo("redis-server", "--version")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            version.WaitForExit(10_000);
            return version.HasExited && version.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not on PATH
        }
    }
}

/// <summary>Garnet in this process, light: no persistence, a small store, Lua on (the server uses EVAL).</summary>
internal sealed class InProcessGarnet : OwnRedis
{
    private GarnetServer? _server;

    public override async Task StartAsync()
    {
        _server = new GarnetServer([
            "--port", Port.ToString(), "--bind", "127.0.0.1",
            "--memory", "64m", "--page", "1m", "--index", "1m",
            "--lua", "-q", "--logger-level", "Warning",
        ]);
        _server.Start();
        await WaitUntilListeningAsync();
    }

    public override void Stop()
    {
        _server?.Dispose();
        _server = null;
    }
}
