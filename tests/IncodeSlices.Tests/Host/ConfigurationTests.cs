using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// What start-up makes of a configuration: each configuration that cannot work is refused with one
/// line naming the variable and never its value. Checked where the settings are read (their options
/// classes, registered as Program registers them); a server is started only for the line as start-up
/// prints it. <see cref="StartupProcessTests"/> shows the real process printing that line and exiting 1.
/// </summary>
public sealed class ConfigurationTests
{
    private static readonly Dictionary<string, string?> Required = new()
    {
        ["API_URL"] = "http://127.0.0.1:9",
        ["API_KEY"] = "k",
        ["FLOW_ID"] = "f",
    };

    private static string? Refusal(IDictionary<string, string?> settings) => StartupCheck.Refusal(settings);

    private static Dictionary<string, string?> RequiredAnd(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(Required);
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    [Fact]
    public void Names_every_missing_variable_but_no_value()
    {
        var refusal = Refusal(new Dictionary<string, string?> { ["API_KEY"] = "secret-key-that-must-not-show" });

        Assert.Equal("IncodeSlices cannot start. Missing required configuration: API_URL, FLOW_ID. See sample.env.", refusal);
    }

    [Theory]
    [InlineData("ADMIN_EMAIL", "admin@example.com")]
    [InlineData("ADMIN_PASSWORD", "secret-password-that-must-not-show")]
    public void Refuses_only_one_of_ADMIN_EMAIL_and_ADMIN_PASSWORD(string name, string value)
    {
        var refusal = Refusal(RequiredAnd((name, value)));

        Assert.Equal("IncodeSlices cannot start. ADMIN_EMAIL and ADMIN_PASSWORD must be set together. See sample.env.", refusal);
    }

    [Theory]
    [InlineData("INCODE_TIMEOUT_SECONDS")]
    [InlineData("SESSION_TTL_HOURS")]
    [InlineData("RATE_LIMIT_PER_MINUTE")]
    [InlineData("FACE_AUTH_TTL_MINUTES")]
    [InlineData("PORT")] // Kestrel alone would listen on port 80 instead
    public void Refuses_a_number_that_is_not_one(string variable)
    {
        var refusal = Refusal(RequiredAnd((variable, "soon-secret")));

        Assert.NotNull(refusal);
        Assert.StartsWith("IncodeSlices cannot start. ", refusal);
        Assert.Contains(variable, refusal);
        Assert.DoesNotContain("soon-secret", refusal);
    }

    /// <summary>
    /// Each would otherwise start and fail later: 401 to every webhook, 500 to every session route, every
    /// client one address, no face authentication verifiable, a token endpoint without a client, an
    /// allow-list that cannot match.
    /// </summary>
    [Theory]
    [InlineData("WEBHOOK_SECRET", "secret-that-must-not-show", "WEBHOOK_SECRET_HEADER", " ",
        "WEBHOOK_SECRET_HEADER must name a header when WEBHOOK_SECRET is set.")]
    [InlineData("SESSION_STORE", "redis", "REDIS_URL", "redis://:secret-that-must-not-show@redis.internal:port",
        "REDIS_URL must be host:port, a StackExchange.Redis configuration string, or redis://[:password@]host:port.")]
    [InlineData("RATE_LIMIT_PER_MINUTE", "10", "TRUSTED_PROXIES", "10.0.0.1, proxy.internal",
        "TRUSTED_PROXIES must be IP addresses or CIDR ranges, comma-separated.")]
    [InlineData("FACE_AUTH_FLOW_ID", "secret-that-must-not-show", "FACE_AUTH_TTL_MINUTES", "0",
        "FACE_AUTH_TTL_MINUTES must be a whole number of minutes from 1 to 1440.")]
    [InlineData("WEBHOOK_SECRET", "secret-that-must-not-show", "WEBHOOK_ALLOWED_IPS", "198.51.100.7, incode.example",
        "WEBHOOK_ALLOWED_IPS must be IP addresses or CIDR ranges, comma-separated.")]
    [InlineData("WEBHOOK_OAUTH_CLIENT_SECRET", "secret-that-must-not-show", "WEBHOOK_SECRET_HEADER", "X-Webhook-Secret",
        "WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET must be set together.")]
    public void Refuses_a_setting_that_cannot_work(string name, string value, string otherName, string otherValue, string message)
    {
        var refusal = Refusal(RequiredAnd((name, value), (otherName, otherValue)));

        Assert.Equal($"IncodeSlices cannot start. {message} See sample.env.", refusal);
    }

    /// <summary>Each would otherwise start and then export nothing, or listen where it should not.</summary>
    [Theory]
    [InlineData("METRICS_PORT", "metrics-secret", "METRICS_PORT must be a whole number.")]
    [InlineData("METRICS_PORT", "3000", "METRICS_PORT must be a port number from 1 to 65535, other than PORT.")] // PORT's default
    [InlineData("METRICS_PORT", "70000", "METRICS_PORT must be a port number from 1 to 65535, other than PORT.")]
    [InlineData("LOG_FORMAT", "xml-secret", "LOG_FORMAT must be text or json.")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector-secret:4317", "OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http or https URL.")]
    public void Refuses_a_telemetry_setting_that_cannot_work(string name, string value, string message)
    {
        var refusal = Refusal(RequiredAnd((name, value)));

        Assert.Equal($"IncodeSlices cannot start. {message} See sample.env.", refusal);
    }

    [Fact]
    public void Names_every_telemetry_setting_that_cannot_work_in_one_line()
    {
        var refusal = Refusal(RequiredAnd(("METRICS_PORT", "70000"), ("LOG_FORMAT", "y")));

        Assert.Equal("IncodeSlices cannot start. METRICS_PORT must be a port number from 1 to 65535, other than PORT. LOG_FORMAT must be text or json. See sample.env.", refusal);
    }

    [Fact]
    public void Refuses_a_LOG_LEVEL_it_does_not_know()
    {
        Assert.Equal("IncodeSlices cannot start. LOG_LEVEL must be debug, information, warning or error. See sample.env.",
            Refusal(RequiredAnd(("LOG_LEVEL", "chatty"))));
    }

    [Fact]
    public void Accepts_the_required_variables_alone()
    {
        Assert.Null(Refusal(Required));
    }

    /// <summary>The line as start-up prints it, from a server: every bad setting of every options class, read every way.</summary>
    [Fact]
    public void Names_every_bad_setting_of_every_kind_in_one_line()
    {
        using var app = TestApp.Bare(new Dictionary<string, string?>
        {
            ["API_KEY"] = "k",
            ["PORT"] = "abc",
            ["FACE_AUTH_TTL_MINUTES"] = "soon",
            ["WEBHOOK_OAUTH_TOKEN_MINUTES"] = "0",
            ["LOG_FORMAT"] = "xml",
        });

        var refusal = app.StartupRefusal();

        Assert.NotNull(refusal);
        Assert.DoesNotContain('\n', refusal);
        foreach (var named in new[] { "PORT must be a whole number.", "FACE_AUTH_TTL_MINUTES must be a whole number.",
                     "WEBHOOK_OAUTH_TOKEN_MINUTES must be from 1 to 1440.", "LOG_FORMAT must be text or json.", "API_URL, FLOW_ID" })
            Assert.Contains(named, refusal);
    }

    [Fact]
    public void Starts_with_the_required_variables_alone()
    {
        using var app = TestApp.Bare(Required);

        Assert.Null(app.StartupRefusal());
    }

    [Fact]
    public async Task Warns_at_start_up_that_admin_routes_will_answer_503_without_an_admin_token()
    {
        var logs = await StartupCheck.WarningsAsync(Required);

        Assert.Contains(logs.Lines, l => l.StartsWith("Neither ADMIN_EMAIL and ADMIN_PASSWORD nor ADMIN_TOKEN is set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("WEBHOOK_SECRET=a-secret", false)]
    [InlineData("WEBHOOK_OAUTH_CLIENT_ID=incode;WEBHOOK_OAUTH_CLIENT_SECRET=a-secret-of-16-characters", false)]
    [InlineData("WEBHOOK_ALLOWED_IPS=198.51.100.0/24", false)]
    public async Task Warns_when_approve_is_open_to_anyone(string webhookSettings, bool warns)
    {
        var settings = RequiredAnd(("ADMIN_TOKEN", "t"));
        foreach (var setting in webhookSettings.Split(';', StringSplitOptions.RemoveEmptyEntries)) settings[setting.Split('=')[0]] = setting.Split('=')[1];

        var logs = await StartupCheck.WarningsAsync(settings);

        Assert.Equal(warns, logs.Lines.Any(l => l.Contains("Incode's webhooks are not authenticated", StringComparison.Ordinal)));
        logs.AssertNoneContains("a-secret");
    }
}

/// <summary>Without an admin token the admin routes say so; the rest works.</summary>
public sealed class MissingAdminTokenTests(MissingAdminTokenTests.WithoutAdminToken app) : AppTests<MissingAdminTokenTests.WithoutAdminToken>(app)
{
    public sealed class WithoutAdminToken() : IncodeApp(new Dictionary<string, string?> { ["ADMIN_TOKEN"] = "" });

    [Fact]
    public async Task Admin_routes_answer_503_without_calling_Incode()
    {
        Incode.AnswerAll();
        var finished = IncodePayloads.Read("webhook.onboarding-status");

        await (await Client.GetAsync("/onboarding-status?interviewId=abc"))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        await (await Client.SendAsync(Requests.PostJson("/auth", IncodePayloads.Read("authentication-verify.request"))))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        await (await Client.SendAsync(Requests.PostJson("/approve", finished)))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Webhook_still_echoes()
    {
        Incode.AnswerAll();

        var body = await (await Client.SendAsync(Requests.PostJson("/webhook", IncodePayloads.Read("webhook.onboarding-status"))))
            .JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Session_routes_still_work()
    {
        Incode.AnswerAll();

        await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
    }
}
