using System.Net;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Tests.Host;

/// <summary>How sandbox mode is switched on and guarded.</summary>
public sealed class SandboxStartupTests
{
    [Fact]
    public void Refuses_to_start_in_the_Production_environment()
    {
        var refusal = StartupCheck.Refusal(new Dictionary<string, string?> { ["INCODE_SANDBOX"] = "true" }, environment: "Production");

        Assert.NotNull(refusal);
        Assert.StartsWith("IncodeSlices cannot start. Sandbox mode", refusal);
        Assert.Contains("refused in the Production environment", refusal);
    }

    [Fact]
    public async Task Says_so_loudly_in_the_log_and_in_health()
    {
        using var app = TestApp.Sandbox();

        var health = await (await app.Client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);

        Assert.True(health["sandbox"]!.GetValue<bool>());
        Assert.Contains(app.Logs.LogEvents, e => e.Level == Serilog.Events.LogEventLevel.Warning
            && e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).StartsWith("SANDBOX MODE: Incode is not called", StringComparison.Ordinal));
    }

    /// <summary>The host reads its arguments with the command-line provider; this is what that provider makes of them.</summary>
    [Fact]
    public void Takes_the_flag_anywhere_on_the_command_line_without_eating_the_next_argument()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(SandboxMode.ExpandFlag(["--sandbox", "--SESSIONS_DIR", "/tmp/from-args"]))
            .Build();

        Assert.True(SandboxMode.IsOn(configuration));
        Assert.Equal("/tmp/from-args", configuration["SESSIONS_DIR"]);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("")]
    public void Stays_off_unless_INCODE_SANDBOX_is_true(string value)
    {
        Assert.Equal("IncodeSlices cannot start. Missing required configuration: API_URL, API_KEY, FLOW_ID. See sample.env.",
            StartupCheck.Refusal(new Dictionary<string, string?> { ["INCODE_SANDBOX"] = value }));
    }

    [Fact]
    public void Refuses_an_INCODE_SANDBOX_that_is_neither_true_nor_false()
    {
        Assert.Equal("IncodeSlices cannot start. INCODE_SANDBOX must be true or false. Missing required configuration: API_URL, API_KEY, FLOW_ID. See sample.env.",
            StartupCheck.Refusal(new Dictionary<string, string?> { ["INCODE_SANDBOX"] = "yes please" }));
    }
}

/// <summary>The README's command itself, launch settings and all: a real <c>dotnet run</c>.</summary>
public sealed class ReadmeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-readme-").FullName;

    [Fact]
    public async Task Runs_the_sandbox_in_Development()
    {
        using var server = ServerProcess.StartWithDotnetRun(new Dictionary<string, string?> { ["SESSIONS_DIR"] = _folder }, ["--sandbox"]);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var health = await (await http.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);

        Assert.True(health["sandbox"]!.GetValue<bool>());
        Assert.Contains("Using launch settings", server.Output);
        await server.WaitForOutputAsync("WRN] SANDBOX MODE: Incode is not called", TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// The launch profile sets DOTNET_ENVIRONMENT, which ASPNETCORE_ENVIRONMENT overrides: an environment
    /// named in the shell wins over the profile's Development, and the sandbox is refused in Production.
    /// </summary>
    [Fact]
    public async Task Refuses_the_sandbox_when_the_shell_says_Production()
    {
        using var server = ServerProcess.StartWithDotnetRun(
            new Dictionary<string, string?> { ["SESSIONS_DIR"] = _folder, ["ASPNETCORE_ENVIRONMENT"] = "Production" }, ["--sandbox"]);

        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("IncodeSlices cannot start. Sandbox mode (--sandbox or INCODE_SANDBOX=true) makes up Incode's answers and is refused in the Production environment", server.Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
