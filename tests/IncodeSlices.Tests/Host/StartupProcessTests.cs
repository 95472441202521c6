using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// Start-up as a person meets it: the real process, its console and exit code. Which configurations
/// are refused, and in which words, is <see cref="ConfigurationTests"/>'s, in memory.
/// </summary>
[Trait("Category", ServerProcess.Category)]
public sealed class StartupProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-startup-").FullName;

    [Theory]
    [InlineData(null, "IncodeSlices cannot start. Missing required configuration: API_URL, FLOW_ID.")] // a validator's refusal
    [InlineData("soon", "IncodeSlices cannot start. INCODE_TIMEOUT_SECONDS must be a number. See sample.env.")] // the binder's
    public async Task Prints_one_line_and_exits_1_when_the_configuration_cannot_work(string? timeout, string line)
    {
        var settings = new Dictionary<string, string?> { ["API_KEY"] = "secret-key-that-must-not-show" };
        if (timeout is not null)
        {
            settings["API_URL"] = "http://127.0.0.1:9";
            settings["FLOW_ID"] = "f";
            settings["INCODE_TIMEOUT_SECONDS"] = timeout;
        }
        using var server = ServerProcess.Start(_folder, settings);

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains(line, server.Output);
        Assert.DoesNotContain("secret-key", server.Output);
        Assert.DoesNotContain("   at ", server.Output); // no stack trace
    }

    [Fact]
    public async Task Fills_gaps_from_dotenv_but_lets_the_environment_win()
    {
        // The .env's API_URL would stop the server; the environment's must be the one used.
        await File.WriteAllTextAsync(Path.Combine(_folder, ".env"), "API_URL=ftp://from-dotenv.example\nFLOW_ID=flow-from-dotenv\nAPI_KEY=from-dotenv\n");
        using var server = ServerProcess.Start(_folder, new Dictionary<string, string?> { ["API_URL"] = "http://127.0.0.1:9" });

        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));

        Assert.DoesNotContain("cannot start", server.Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
