using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Decisions;

/// <summary>Every setting of durable processing is checked at start-up: one line naming it, never its value.</summary>
public sealed class DecisionOptionsTests : IDisposable
{
    private const string Secret = "a-decisions-secret-of-32-characters!";
    private readonly List<TestApp> _servers = [];

    private string? Refusal(params (string Key, string? Value)[] settings)
    {
        var server = TestApp.Sandbox(settings.ToDictionary(s => s.Key, s => s.Value));
        _servers.Add(server);
        return server.StartupRefusal();
    }

    [Theory]
    [InlineData("WEBHOOK_PROCESSING", "sometimes", "WEBHOOK_PROCESSING must be inline or durable.")]
    [InlineData("DECISION_RETRY_FIRST_SECONDS", "0", "DECISION_RETRY_FIRST_SECONDS must be positive.")]
    [InlineData("DECISION_RETRY_MAX_SECONDS", "1", "DECISION_RETRY_MAX_SECONDS must be at least DECISION_RETRY_FIRST_SECONDS.")]
    [InlineData("DECISION_GIVE_UP_HOURS", "-1", "DECISION_GIVE_UP_HOURS must be positive.")]
    [InlineData("DECISION_CLAIM_SECONDS", "0.5", "DECISION_CLAIM_SECONDS must be at least 1.")]
    [InlineData("DECISION_CLAIM_SECONDS", "soon", "DECISION_CLAIM_SECONDS must be a number.")]
    [InlineData("RECONCILE_AFTER_SECONDS", "0", "RECONCILE_AFTER_SECONDS must be positive.")]
    [InlineData("RECONCILE_EVERY_SECONDS", "0", "RECONCILE_EVERY_SECONDS must be at least 1.")]
    [InlineData("RECONCILE_ACTION", "maybe", "RECONCILE_ACTION must be score or approve.")]
    [InlineData("DECISIONS_RETENTION_DAYS", "0", "DECISIONS_RETENTION_DAYS must be positive.")]
    [InlineData("DECISIONS_API_KEY", "short-key", "DECISIONS_API_KEY must be at least 16 characters.")]
    [InlineData("PURGE_PII", "sometimes", "PURGE_PII must be off, dry-run or on.")]
    [InlineData("PURGE_AFTER_HOURS", "-1", "PURGE_AFTER_HOURS must be 0 or more.")]
    public void Stops_start_up_naming_the_setting(string key, string value, string problem)
    {
        Assert.Equal($"IncodeSlices cannot start. {problem} See sample.env.", Refusal((key, value)));
    }

    [Theory]
    [InlineData("on")]
    [InlineData("dry-run")]
    public void Refuses_a_purge_without_durable_processing_naming_both_settings(string mode)
    {
        Assert.Equal("IncodeSlices cannot start. PURGE_PII works from recorded decisions: it needs WEBHOOK_PROCESSING=durable. See sample.env.",
            Refusal(("PURGE_PII", mode)));
        Assert.Equal("IncodeSlices cannot start. PURGE_PII works from recorded decisions: it needs WEBHOOK_PROCESSING=durable. See sample.env.",
            Refusal(("PURGE_PII", mode), ("WEBHOOK_PROCESSING", "inline")));
    }

    [Fact]
    public void Starts_with_a_purge_at_once_in_durable_processing()
    {
        Assert.Null(Refusal(("WEBHOOK_PROCESSING", "durable"), ("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "0")));
    }

    [Theory]
    [InlineData("http://app.example.com/decisions")]
    [InlineData("http://8.8.8.8/decisions")]
    [InlineData("ftp://10.0.0.5/decisions")]
    [InlineData("decisions")]
    public void Refuses_a_relay_that_could_cross_the_internet_in_clear(string url)
    {
        Assert.Equal("IncodeSlices cannot start. DECISIONS_URL must be an https URL, or http to a loopback or private address. See sample.env.",
            Refusal(("DECISIONS_URL", url), ("DECISIONS_SECRET", Secret)));
    }

    [Fact]
    public void Wants_a_long_secret_with_the_relay_and_never_prints_it()
    {
        Assert.Equal("IncodeSlices cannot start. DECISIONS_SECRET is required with DECISIONS_URL. See sample.env.",
            Refusal(("DECISIONS_URL", "https://app.example.com/decisions")));
        var line = Refusal(("DECISIONS_URL", "https://app.example.com/decisions"), ("DECISIONS_SECRET", "too-short-secret"));
        Assert.Equal("IncodeSlices cannot start. DECISIONS_SECRET must be at least 32 characters. See sample.env.", line);
    }

    [Theory]
    [InlineData("https://app.example.com/decisions")]
    [InlineData("http://localhost:8080/decisions")]
    [InlineData("http://127.0.0.1:8080/decisions")]
    [InlineData("http://10.1.2.3/decisions")]
    [InlineData("http://192.168.1.20/decisions")]
    [InlineData("http://[fd00::1]/decisions")]
    public void Starts_with_a_relay_over_https_or_to_a_private_address(string url)
    {
        Assert.Null(Refusal(("WEBHOOK_PROCESSING", "durable"), ("DECISIONS_URL", url), ("DECISIONS_SECRET", Secret)));
    }

    public void Dispose()
    {
        foreach (var server in _servers) server.Dispose();
    }
}
