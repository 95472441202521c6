using System.Net;
using System.Net.Sockets;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// The first hour of a new user, as a real process in Production: each mistake in the configuration
/// or the environment is answered in one line that names the setting or resource, with exit code 1,
/// no stack frame, no fragment of a secret, and no call to Incode; a server that does start says
/// where it listens in one line.
/// </summary>
public sealed class BrokenEnvironmentTests : IDisposable
{
    private const string ApiKey = "SECRET-API-KEY-0c4f9d2e7b";
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-broken-").FullName;
    private readonly IncodeStub _incode = new();

    /// <summary>Name of the case, what it sets (NAME=value pairs; "{folder}" is the case's working folder), words the line must hold.</summary>
    public static TheoryData<string, string, string> Mistakes() => new()
    {
        { "port not a number", "PORT=abc", "PORT must be a whole number." },
        { "port out of range", "PORT=70000", "PORT must be a port number from 1 to 65535." },
        { "metrics on the public port", "PORT=3456;METRICS_PORT=3456", "METRICS_PORT must be a port number from 1 to 65535, other than PORT." },
        { "sessions folder is a file", "SESSIONS_DIR={folder}/a-file", "SESSIONS_DIR ({folder}/a-file) cannot be written: it is a file, not a folder." },
        { "sessions folder under a file", "SESSIONS_DIR={folder}/a-file/sessions", "cannot be written: a part of the path is a file, not a folder." },
        { "API key missing", "API_KEY=", "Missing required configuration: API_KEY." },
        { "API_URL not a URL", "API_URL=demo-api.incodesmile.com", "API_URL must be an absolute http or https URL." },
        { "two bad settings", "INCODE_TIMEOUT_SECONDS=soon;LOG_LEVEL=chatty", "LOG_LEVEL must be debug, information, warning or error. INCODE_TIMEOUT_SECONDS must be a number." },
        { "Redis URL with http", "SESSION_STORE=redis;REDIS_URL=http://cache:6379", "REDIS_URL must be host:port" },
        { "OAuth client without a secret", "WEBHOOK_OAUTH_CLIENT_ID=incode", "WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET must be set together." },
        { "sandbox in Production", "INCODE_SANDBOX=true", "Sandbox mode (--sandbox or INCODE_SANDBOX=true) makes up Incode's answers and is refused in the Production environment" },
        { "sandbox switch misspelt", "INCODE_SANDBOX=yes", "INCODE_SANDBOX must be true or false." },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Answers_a_mistake_in_one_line_with_exit_code_1(string mistake, string settings, string words)
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "a-file"), "not a folder");
        var environment = Valid();
        foreach (var pair in settings.Split(';'))
        {
            var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..].Replace("{folder}", _folder));
            environment[name] = value;
        }

        await AssertRefusedAsync(mistake, environment, words.Replace("{folder}", _folder));
    }

    [Fact]
    public async Task Answers_a_port_already_taken_in_one_line()
    {
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var environment = Valid();
        environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await AssertRefusedAsync("port taken", environment, $"PORT {port} is already in use by another process");
    }

    [Fact]
    public async Task Answers_a_dotenv_it_cannot_read_without_showing_any_value()
    {
        // An unterminated quote on the line after the key: the parser's own message quotes the key's tail.
        await File.WriteAllTextAsync(Path.Combine(_folder, ".env"), $"API_KEY={ApiKey}\nFLOW_ID=\"abc\n");
        var environment = Valid();
        environment.Remove("API_KEY");
        environment.Remove("FLOW_ID");

        await AssertRefusedAsync(".env typo", environment, ".env line 2 is not NAME=value");
    }

    [Fact]
    public async Task Says_in_one_line_where_it_listens_which_store_and_what_is_on()
    {
        var environment = Valid();
        environment["WEBHOOK_SECRET"] = "a-webhook-secret-of-some-length";
        using var server = ServerProcess.Start(_folder, environment);

        await server.WaitForOutputAsync($"IncodeSlices is listening on http://0.0.0.0:{server.Port}; store: files in {_folder}/sessions; " +
            $"Incode at {new Uri(_incode.Url).Host}; on: admin token, webhook secret. Stop it with Ctrl+C", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(ApiKey[^6..], server.Output);
    }

    private Dictionary<string, string?> Valid() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["API_URL"] = _incode.Url,
        ["API_KEY"] = ApiKey,
        ["FLOW_ID"] = IncodeStub.FlowId,
        ["ADMIN_TOKEN"] = IncodeStub.AdminToken,
        ["SESSIONS_DIR"] = Path.Combine(_folder, "sessions"),
    };

    private async Task AssertRefusedAsync(string mistake, Dictionary<string, string?> environment, string words)
    {
        using var server = ServerProcess.Start(_folder, environment);

        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var output = server.Output;
        var refusals = output.Split('\n').Where(line => line.StartsWith("IncodeSlices cannot start.", StringComparison.Ordinal)).ToList();
        Assert.True(refusals.Count == 1, $"{mistake}: {output}");
        Assert.Contains(words, refusals[0]);
        Assert.DoesNotContain("   at ", output); // no stack frame
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain(ApiKey[^6..], output); // not even the tail of a secret
        Assert.DoesNotContain("IncodeSlices is listening", output);
        Assert.Empty(_incode.Calls);
    }

    public void Dispose()
    {
        _incode.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
