using System.Net;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

/// <summary>How sandbox mode is switched on and guarded, seen from the real process.</summary>
public sealed class SandboxStartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-sandbox-").FullName;

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["SESSIONS_DIR"] = Path.Combine(_folder, "sessions") };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    [Theory]
    [InlineData("--sandbox", null)]
    [InlineData(null, "true")]
    public async Task Refuses_to_start_in_the_Production_environment(string? flag, string? variable)
    {
        var settings = Settings(("ASPNETCORE_ENVIRONMENT", "Production"));
        if (variable is not null) settings["INCODE_SANDBOX"] = variable;
        using var server = ServerProcess.Start(_folder, settings, flag is null ? [] : [flag]);

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("IncodeSlices cannot start. Sandbox mode", server.Output);
        Assert.Contains("refused in the Production environment", server.Output);
        Assert.DoesNotContain("   at ", server.Output);
    }

    private static async Task<bool> SaysSandboxInHealthAsync(ServerProcess server)
    {
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var health = await (await http.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);
        return health["sandbox"]!.GetValue<bool>();
    }

    [Fact]
    public async Task Says_so_loudly_in_the_log_and_in_health()
    {
        using var server = ServerProcess.Start(_folder, Settings(), ["--sandbox"]);

        Assert.True(await SaysSandboxInHealthAsync(server));
        Assert.Contains("WRN] SANDBOX MODE: Incode is not called", server.Output);
    }

    [Fact]
    public async Task Takes_the_flag_anywhere_on_the_command_line_without_eating_the_next_argument()
    {
        using var server = ServerProcess.Start(_folder, Settings(), ["--sandbox", "--SESSIONS_DIR", Path.Combine(_folder, "from-args")]);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        await (await http.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        Assert.Single(Directory.GetFiles(Path.Combine(_folder, "from-args"), "*.json"));
    }

    [Fact]
    public async Task The_README_command_runs_the_sandbox_in_Development()
    {
        using var server = ServerProcess.StartWithDotnetRun(Settings(), ["--sandbox"]);

        Assert.True(await SaysSandboxInHealthAsync(server));
        Assert.Contains("Using launch settings", server.Output);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("")]
    [InlineData("yes please")]
    public async Task Stays_off_unless_INCODE_SANDBOX_is_true(string value)
    {
        using var server = ServerProcess.Start(_folder, Settings(("INCODE_SANDBOX", value)));

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("Missing required configuration: API_URL, API_KEY, FLOW_ID.", server.Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
