using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Ownership;

/// <summary>Caller-authentication settings that cannot work stop start-up with one line naming them, never their values.</summary>
public sealed class CallerSettingsTests
{
    private static Dictionary<string, string?> Sandbox(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["INCODE_SANDBOX"] = "true" };
        foreach (var (key, value) in settings) all[key] = value;
        return all;
    }

    private const string Key = "an-external-id-key-of-32-characters-at-least";

    [Fact]
    public void Starts_with_an_https_authority_an_audience_and_a_key()
    {
        Assert.Null(StartupCheck.Refusal(Sandbox(("CALLER_JWT_AUTHORITY", "https://login.example.com/realms/shop"),
            ("CALLER_JWT_AUDIENCE", "incodeslices"), ("CALLER_EXTERNAL_ID_KEY", Key))));
    }

    [Fact]
    public void Names_every_missing_piece_at_once()
    {
        Assert.Equal("IncodeSlices cannot start. CALLER_JWT_AUDIENCE is required with CALLER_JWT_AUTHORITY. " +
            "CALLER_EXTERNAL_ID_KEY must be at least 32 characters with CALLER_EXTERNAL_ID=hmac (or set CALLER_EXTERNAL_ID=none or raw). See sample.env.",
            StartupCheck.Refusal(Sandbox(("CALLER_JWT_AUTHORITY", "https://login.example.com/"), ("CALLER_EXTERNAL_ID_KEY", "short-secret"))));
    }

    [Theory]
    [InlineData("http://login.example.com/", null, "CALLER_JWT_AUTHORITY must be https:// (CALLER_JWT_REQUIRE_HTTPS=false allows http:// for development).")]
    [InlineData("login.example.com", null, "CALLER_JWT_AUTHORITY must be the issuer's URL, such as https://login.example.com/realm.")]
    [InlineData("https://login.example.com/", "maybe", "CALLER_EXTERNAL_ID must be hmac, raw or none.")]
    public void Refuses_an_authority_or_external_id_that_cannot_work(string authority, string? externalId, string problem)
    {
        var refusal = StartupCheck.Refusal(Sandbox(("CALLER_JWT_AUTHORITY", authority), ("CALLER_JWT_AUDIENCE", "incodeslices"),
            ("CALLER_EXTERNAL_ID_KEY", Key), ("CALLER_EXTERNAL_ID", externalId)));

        Assert.Equal($"IncodeSlices cannot start. {problem} See sample.env.", refusal);
        Assert.DoesNotContain(Key, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_authority_is_allowed_when_https_is_not_required()
    {
        Assert.Null(StartupCheck.Refusal(Sandbox(("CALLER_JWT_AUTHORITY", "http://localhost:8080/realms/dev"), ("CALLER_JWT_AUDIENCE", "incodeslices"),
            ("CALLER_JWT_REQUIRE_HTTPS", "false"), ("CALLER_EXTERNAL_ID", "none"))));
    }

    [Fact]
    public async Task The_start_up_line_names_caller_authentication_and_its_issuer()
    {
        using var incode = new IncodeStub();
        using var app = TestApp.WithStub(incode, new Dictionary<string, string?>
        {
            ["CALLER_JWT_AUTHORITY"] = "http://login.example.test/realms/shop",
            ["CALLER_JWT_AUDIENCE"] = "incodeslices",
            ["CALLER_JWT_REQUIRE_HTTPS"] = "false",
            ["CALLER_EXTERNAL_ID_KEY"] = Key,
        });
        _ = app.Client;

        await Eventually.HoldsAsync(() => app.Logs.Lines.Any(l => l.Contains("IncodeSlices is listening", StringComparison.Ordinal)), "the start-up line");
        var line = app.Logs.Lines.Single(l => l.Contains("IncodeSlices is listening", StringComparison.Ordinal));
        Assert.Contains("caller authentication by login.example.test", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, string.Join("\n", app.Logs.Lines), StringComparison.Ordinal);
    }
}
