using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The Redis the suite runs against: <c>INCODESLICES_TEST_REDIS</c> when set (.ci/run sets it), else a
/// redis-server the suite starts itself on a free loopback port and stops when it ends. Each fixture
/// gets its own key prefix, so suites never see each other.
/// </summary>
public static class TestRedis
{
    private static readonly Lazy<string> Shared = new(() =>
    {
        if (Environment.GetEnvironmentVariable("INCODESLICES_TEST_REDIS") is { Length: > 0 } url) return url;
        var own = new OwnRedisServer();
        try
        {
            own.StartAsync().GetAwaiter().GetResult();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("The Redis half of the suite needs redis-server on PATH (Debian: apt-get install redis-server).");
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => own.Dispose();
        return own.Url;
    });

    public static string Url => Shared.Value;

    public static string NewPrefix() => $"test-{Guid.NewGuid():N}:";

    public static Dictionary<string, string?> Settings(string prefix) => new()
    {
        ["SESSION_STORE"] = "redis",
        ["REDIS_URL"] = Url,
        ["REDIS_KEY_PREFIX"] = prefix,
    };
}

/// <summary>A redis-server of a test's own, on a free port, that the test can stop and start again.</summary>
public sealed class OwnRedisServer : IDisposable
{
    private Process? _process;

    public OwnRedisServer() => Port = FreePort();

    public int Port { get; }
    public string Url => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            info.ArgumentList.Add(arg);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("redis-server did not start");
    }

    public void Stop()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.WaitForExit();
        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
