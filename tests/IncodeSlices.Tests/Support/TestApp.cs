using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Serilog.Core;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The real server in memory (the way most tests stand it up), in one of a few named modes:
/// <see cref="WithStub"/> (Incode a WireMock stub), <see cref="Sandbox"/> (Incode answered in-process,
/// no Incode setting at all), <see cref="Bare"/> (nothing set but what a test gives) and
/// <see cref="WithMetricsPort"/> (a stub, on real sockets). Its sessions in a folder of its own; its
/// clock a <see cref="TestClock"/> and its log events captured. Shared by the tests of a class through
/// the fixtures below (<see cref="IncodeApp"/>, <see cref="RedisIncodeApp"/>, <see cref="SandboxApp"/>,
/// or a subclass of <see cref="IncodeApp"/> per configuration); built per test only where a test needs
/// a fresh server.
/// </summary>
public class TestApp : WebApplicationFactory<Program>
{
    /// <summary>INCODE_TIMEOUT_SECONDS here: never reached in real time; a test that wants a timeout advances the clock.</summary>
    public static readonly TimeSpan IncodeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// INCODE_ATTEMPT_TIMEOUT_SECONDS here: longer than the whole, so that when a test lets the
    /// request's time pass only the deadline fires, and no retry starts as the request ends.
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(120);

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsIncode;
    private HttpClient? _client;

    /// <summary>A server over exactly <paramref name="settings"/>, and a sessions folder of its own unless they name one.</summary>
    private protected TestApp(IncodeStub? incode, IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, bool ownsIncode = false)
    {
        Incode = incode;
        _ownsIncode = ownsIncode;
        SessionsDir = Path.Combine(Path.GetTempPath(), "incodeslices-tests", Guid.NewGuid().ToString("N"));
        _settings = new Dictionary<string, string?> { ["SESSIONS_DIR"] = SessionsDir };
        foreach (var (key, value) in settings) _settings[key] = value;
        _services = services;
    }

    /// <summary>The server with <paramref name="incode"/> as its Incode, and these settings over the defaults.</summary>
    public static TestApp WithStub(IncodeStub incode, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(incode, Over(StubSettings(incode), settings), services);

    /// <summary>The server in sandbox mode, configured with nothing but the switch (and these settings).</summary>
    public static TestApp Sandbox(IDictionary<string, string?>? settings = null) => new(null, Over(SandboxSettings(), settings));

    /// <summary>
    /// The server with nothing set but <paramref name="settings"/> (and its sessions folder), in
    /// <paramref name="environment"/>: for what start-up makes of a configuration.
    /// </summary>
    public static TestApp Bare(IDictionary<string, string?> settings, string environment = "Testing") => new(null, settings) { Environment = environment };

    /// <summary>
    /// The server on real sockets, PORT and METRICS_PORT two free ports of this machine: for what only a
    /// second port shows. Incode a stub, the clock and the log as in memory.
    /// </summary>
    public static TestApp WithMetricsPort(IncodeStub incode, IDictionary<string, string?>? settings = null)
    {
        var ports = Over(StubSettings(incode), settings);
        ports["PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        ports["METRICS_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        var app = new TestApp(incode, ports) { _onSockets = true };
        app.UseKestrel();
        return app;
    }

    /// <summary>What a server over a stub is set to: the stub's address and credentials, deadlines only the clock reaches.</summary>
    private protected static Dictionary<string, string?> StubSettings(IncodeStub incode) => new()
    {
        ["API_URL"] = incode.Url,
        ["API_KEY"] = IncodeStub.ApiKey,
        ["FLOW_ID"] = IncodeStub.FlowId,
        ["ADMIN_TOKEN"] = IncodeStub.AdminToken,
        ["INCODE_TIMEOUT_SECONDS"] = IncodeTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = AttemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ["RATE_LIMIT_PER_MINUTE"] = "0", // the suite starts sessions freely; the budget has tests of its own
    };

    private protected static Dictionary<string, string?> SandboxSettings() => new()
    {
        ["INCODE_SANDBOX"] = "true",
        ["RATE_LIMIT_PER_MINUTE"] = "0",
    };

    private protected static Dictionary<string, string?> Over(Dictionary<string, string?> defaults, IDictionary<string, string?>? settings)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) defaults[key] = value;
        return defaults;
    }

    private bool _onSockets;

    /// <summary>
    /// The line start-up refuses this configuration with, exactly as the process prints it to
    /// standard error; null when the server starts.
    /// </summary>
    public string? StartupRefusal()
    {
        Exception? failure = null;
        var printed = ErrorOutput.CaptureFrom(() =>
        {
            try
            {
                _ = Client;
            }
            catch (Exception ex)
            {
                failure = ex; // Program printed its line and ended, so the test host has no server
            }
        });
        if (failure is null) return null;
        _startFailed = true;
        // Program prints its line on the thread it runs on, which the test host can report as ended
        // (its services disposed) a moment before the line is written.
        SpinWait.SpinUntil(() => ErrorOutput.Text(printed).EndsWith('\n'), TimeSpan.FromSeconds(10));
        var line = ErrorOutput.Text(printed);
        return line.Length > 0 ? line.TrimEnd('\n') : throw new InvalidOperationException("start-up failed without a word", failure);
    }

    private bool _startFailed;

    private string Environment { get; init; } = "Testing";

    public IncodeStub? Incode { get; }
    public TestClock Clock { get; } = new();
    public LogCapture Logs { get; } = new();
    public string SessionsDir { get; }
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>One client for the app's life (creating it boots the server).</summary>
    public HttpClient Client => _client ??= _onSockets ? OnPort("PORT") : CreateClient();

    /// <summary>A client of METRICS_PORT, for a server made <see cref="WithMetricsPort"/>.</summary>
    public HttpClient MetricsClient => _metricsClient ??= OnPort("METRICS_PORT");

    private HttpClient? _metricsClient;

    /// <summary>
    /// What Prometheus reads from METRICS_PORT once every request sent so far has ended: ASP.NET Core
    /// measures a request when it is done with it, which can be after its caller has the answer.
    /// </summary>
    public async Task<string> ScrapeAsync()
    {
        await AllRequestsEndedAsync();
        using var response = await MetricsClient.GetAsync("/metrics");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Exports every span (OTEL_EXPORTER_OTLP_ENDPOINT set) once every request sent so far has ended,
    /// rather than waiting for the exporter's next batch: a request's span ends when ASP.NET Core is
    /// done with it, which can be after its caller has the answer.
    /// </summary>
    public async Task FlushTracesAsync()
    {
        await AllRequestsEndedAsync();
        Assert.True(Services.GetRequiredService<TracerProvider>().ForceFlush(timeoutMilliseconds: 30_000));
    }

    /// <summary>
    /// Once every request sent so far has ended on the server's side (its duration measured, its span
    /// ended), not only answered. The minute is a bound for a server that hangs, not a wait.
    /// </summary>
    public async Task AllRequestsEndedAsync()
    {
        StartServer();
        await Services.GetRequiredService<RequestsInFlight>().NoneAsync().WaitAsync(TimeSpan.FromMinutes(1));
    }

    private HttpClient OnPort(string setting)
    {
        StartServer();
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_settings[setting]}") };
    }

    /// <summary>A second server over the same configuration and sessions folder, as after a restart or on another instance.</summary>
    public TestApp Twin() => new(Incode, _settings, _services) { Environment = Environment };

    /// <summary>
    /// Sends <paramref name="request"/>, waits until it reaches the stalled Incode call at <paramref name="path"/>,
    /// then lets the request's whole time for Incode pass: the answer is what a caller gets when Incode never answers.
    /// </summary>
    public async Task<HttpResponseMessage> OutwaitIncodeAsync(HttpRequestMessage request, string path)
    {
        var pending = Client.SendAsync(request);
        await Incode!.WaitForArrivalsAsync(path);
        Clock.Advance(IncodeTimeout);
        return await pending;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ILogEventSink>(Logs);
            services.AddSingleton(provider => new RequestsInFlight(new Microsoft.AspNetCore.Http.DefaultHttpContextFactory(provider)));
            services.AddSingleton<Microsoft.AspNetCore.Http.IHttpContextFactory>(provider => provider.GetRequiredService<RequestsInFlight>());
            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        _client?.Dispose();
        _metricsClient?.Dispose();
        try
        {
            base.Dispose(disposing);
        }
        catch (Exception) when (_startFailed)
        {
            // nothing was started, so there is nothing to stop
        }
        if (!disposing) return;
        if (_ownsIncode) Incode?.Dispose();
        if (Directory.Exists(SessionsDir))
        {
            File.SetUnixFileMode(SessionsDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(SessionsDir, recursive: true);
        }
    }
}

/// <summary>A server and its own Incode stub, shared by the tests of a class (<c>IClassFixture</c>).</summary>
public class IncodeApp : TestApp
{
    public IncodeApp() : this(null)
    {
    }

    /// <summary>For a fixture of a class whose tests share a configuration: these settings over the defaults.</summary>
    protected IncodeApp(IDictionary<string, string?>? settings, Action<IServiceCollection>? services = null) : this(new IncodeStub(), settings, services)
    {
    }

    private IncodeApp(IncodeStub incode, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
        : base(incode, Over(StubSettings(incode), settings), services, ownsIncode: true)
    {
    }

    /// <summary>A server of a test's own (its own stub too), with these settings over the defaults.</summary>
    public static IncodeApp With(IDictionary<string, string?> settings) => new(settings, services: null);

    public new IncodeStub Incode => base.Incode!;
}

/// <summary>The same, with sessions and approvals in Redis under a key prefix of its own.</summary>
public sealed class RedisIncodeApp() : IncodeApp(TestRedis.Settings(TestRedis.NewPrefix()));

/// <summary>A sandbox-mode server shared by the tests of a class; the sandbox keeps state, so tests start sessions of their own.</summary>
public sealed class SandboxApp() : TestApp(null, SandboxSettings());

/// <summary>
/// A test class over a shared <typeparamref name="TApp"/>: each test starts from a stub with no
/// mappings, an empty request log and no captured log events.
/// </summary>
public abstract class AppTests<TApp> : IClassFixture<TApp> where TApp : IncodeApp
{
    protected AppTests(TApp app)
    {
        App = app;
        app.Incode.Reset();
        app.Logs.Clear();
    }

    protected TApp App { get; }
    protected HttpClient Client => App.Client;
    protected IncodeStub Incode => App.Incode;
}
