using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The real server in memory, its Incode pointed at a WireMock stub (or, without one, in sandbox
/// mode with no Incode setting at all), its sessions in a temporary folder.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public ApiFactory(IncodeStub? incode, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        SessionsDir = Path.Combine(Path.GetTempPath(), "incodeslices-tests", Guid.NewGuid().ToString("N"));
        _settings = incode is null
            ? new Dictionary<string, string?> { ["INCODE_SANDBOX"] = "true" }
            : new Dictionary<string, string?>
            {
                ["API_URL"] = incode.Url,
                ["API_KEY"] = IncodeStub.ApiKey,
                ["FLOW_ID"] = IncodeStub.FlowId,
                ["ADMIN_TOKEN"] = IncodeStub.AdminToken,
                // Short enough for timeout tests, long enough for a cold first call on a busy 2-core box.
                ["INCODE_TIMEOUT_SECONDS"] = IncodeStub.TotalTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "3",
            };
        _settings["SESSIONS_DIR"] = SessionsDir;
        _settings["RATE_LIMIT_PER_MINUTE"] = "0"; // the suite starts sessions freely; the limit has tests of its own
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        _services = services;
    }

    /// <summary>The server in sandbox mode, configured with nothing but the switch.</summary>
    public static ApiFactory Sandbox(IDictionary<string, string?>? settings = null) => new(incode: null, settings);

    public string SessionsDir { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureServices(_services);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(SessionsDir))
        {
            File.SetUnixFileMode(SessionsDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(SessionsDir, recursive: true);
        }
    }
}
