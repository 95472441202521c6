using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-config-").FullName;

    [Fact]
    public async Task Refuses_to_start_and_names_every_missing_variable_but_no_value()
    {
        using var server = ServerProcess.Start(_folder, new Dictionary<string, string?> { ["API_KEY"] = "secret-key-that-must-not-show" });

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("IncodeSlices cannot start. Missing required configuration: API_URL, FLOW_ID.", server.Output);
        Assert.DoesNotContain("secret-key", server.Output);
        Assert.DoesNotContain("   at ", server.Output); // no stack trace
    }

    [Theory]
    [InlineData("ADMIN_EMAIL", "admin@example.com")]
    [InlineData("ADMIN_PASSWORD", "secret-password-that-must-not-show")]
    public async Task Refuses_to_start_with_only_one_of_ADMIN_EMAIL_and_ADMIN_PASSWORD(string name, string value)
    {
        using var server = ServerProcess.Start(_folder, new Dictionary<string, string?>
        {
            ["API_URL"] = "http://127.0.0.1:9", ["API_KEY"] = "key", ["FLOW_ID"] = "flow", [name] = value,
        });

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("IncodeSlices cannot start. ADMIN_EMAIL and ADMIN_PASSWORD must be set together.", server.Output);
        Assert.DoesNotContain(value, server.Output);
    }

    [Fact]
    public async Task Fills_gaps_from_dotenv_but_lets_the_environment_win()
    {
        // The .env's API_URL would stop the server; the environment's must be the one used.
        await File.WriteAllTextAsync(Path.Combine(_folder, ".env"), "API_URL=ftp://from-dotenv.example\nFLOW_ID=flow-from-dotenv\nAPI_KEY=from-dotenv\n");
        using var server = ServerProcess.Start(_folder, new Dictionary<string, string?> { ["API_URL"] = "http://127.0.0.1:9" });

        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));

        Assert.DoesNotContain("cannot start", server.Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class MissingAdminTokenTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly TestApp _api;
    private readonly HttpClient _client;

    public MissingAdminTokenTests()
    {
        _api = new TestApp(_incode, new Dictionary<string, string?> { ["ADMIN_TOKEN"] = "" });
        _client = _api.CreateClient();
        _incode.AnswerAll();
    }

    [Fact]
    public async Task Admin_routes_answer_503_without_calling_Incode()
    {
        var finished = IncodePayloads.Read("webhook.onboarding-status");

        await (await _client.GetAsync("/onboarding-status?interviewId=abc"))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        await (await _client.SendAsync(Requests.PostJson("/auth", IncodePayloads.Read("authentication-verify.request"))))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        await (await _client.SendAsync(Requests.PostJson("/approve", finished)))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Webhook_still_echoes()
    {
        var body = await (await _client.SendAsync(Requests.PostJson("/webhook", IncodePayloads.Read("webhook.onboarding-status"))))
            .JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Session_routes_still_work()
    {
        await (await _client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
    }

    public void Dispose()
    {
        _client.Dispose();
        _api.Dispose();
        _incode.Dispose();
    }
}

public sealed class StartupWarningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-warn-").FullName;

    [Theory]
    [InlineData("", true)]
    [InlineData("WEBHOOK_SECRET=a-secret", false)]
    [InlineData("WEBHOOK_OAUTH_CLIENT_ID=incode;WEBHOOK_OAUTH_CLIENT_SECRET=a-secret-of-16-characters", false)]
    [InlineData("WEBHOOK_ALLOWED_IPS=198.51.100.0/24", false)]
    public async Task Warns_when_approve_is_open_to_anyone(string webhookSettings, bool warns)
    {
        var settings = new Dictionary<string, string?>
        {
            ["API_URL"] = "http://127.0.0.1:9",
            ["API_KEY"] = "k",
            ["FLOW_ID"] = "f",
            ["ADMIN_TOKEN"] = "t",
        };
        foreach (var setting in webhookSettings.Split(';', StringSplitOptions.RemoveEmptyEntries)) settings[setting.Split('=')[0]] = setting.Split('=')[1];
        using var server = ServerProcess.Start(_folder, settings);

        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(warns, server.Output.Contains("Incode's webhooks are not authenticated"));
        Assert.DoesNotContain("a-secret", server.Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class UnreadableSettingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-unreadable-").FullName;

    [Theory]
    [InlineData("INCODE_TIMEOUT_SECONDS")]
    [InlineData("SESSION_TTL_HOURS")]
    [InlineData("RATE_LIMIT_PER_MINUTE")]
    [InlineData("PORT")] // Kestrel alone would listen on port 80 instead
    public async Task Refuses_to_start_with_a_clean_message_when_a_number_is_not_one(string variable)
    {
        using var server = ServerProcess.Start(_folder, new Dictionary<string, string?>
        {
            ["API_URL"] = "http://127.0.0.1:9",
            ["API_KEY"] = "k",
            ["FLOW_ID"] = "f",
            [variable] = "soon",
        });

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("IncodeSlices cannot start.", server.Output);
        Assert.Contains(variable, server.Output);
        Assert.DoesNotContain("   at ", server.Output);
    }

    /// <summary>
    /// Each would otherwise start and fail later: 401 to every webhook, 500 to every session route, every
    /// client one address, a token endpoint without a client, an allow-list that cannot match.
    /// </summary>
    [Theory]
    [InlineData("WEBHOOK_SECRET", "secret-that-must-not-show", "WEBHOOK_SECRET_HEADER", " ",
        "WEBHOOK_SECRET_HEADER must name a header when WEBHOOK_SECRET is set.")]
    [InlineData("SESSION_STORE", "redis", "REDIS_URL", "redis://:secret-that-must-not-show@redis.internal:port",
        "REDIS_URL must be host:port, a StackExchange.Redis configuration string, or redis://[:password@]host:port.")]
    [InlineData("RATE_LIMIT_PER_MINUTE", "10", "TRUSTED_PROXIES", "10.0.0.1, proxy.internal",
        "TRUSTED_PROXIES must be IP addresses or CIDR ranges, comma-separated.")]
    [InlineData("WEBHOOK_SECRET", "secret-that-must-not-show", "WEBHOOK_ALLOWED_IPS", "198.51.100.7, incode.example",
        "WEBHOOK_ALLOWED_IPS must be IP addresses or CIDR ranges, comma-separated.")]
    [InlineData("WEBHOOK_OAUTH_CLIENT_SECRET", "secret-that-must-not-show", "WEBHOOK_SECRET_HEADER", "X-Webhook-Secret",
        "WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET must be set together.")]
    public async Task Refuses_to_start_with_a_clean_message_when_a_setting_cannot_work(
        string name, string value, string otherName, string otherValue, string message)
    {
        using var server = ServerProcess.Start(_folder, new Dictionary<string, string?>
        {
            ["API_URL"] = "http://127.0.0.1:9",
            ["API_KEY"] = "k",
            ["FLOW_ID"] = "f",
            [name] = value,
            [otherName] = otherValue,
        });

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains($"IncodeSlices cannot start. {message}", server.Output);
        Assert.DoesNotContain("secret-that-must-not-show", server.Output);
        Assert.DoesNotContain("   at ", server.Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
