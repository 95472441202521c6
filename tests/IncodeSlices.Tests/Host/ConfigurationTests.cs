using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

[Collection(ServerProcessCollection.Name)]
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
    private readonly ApiFactory _api;
    private readonly HttpClient _client;

    public MissingAdminTokenTests()
    {
        _api = new ApiFactory(_incode, new Dictionary<string, string?> { ["ADMIN_TOKEN"] = "" });
        _client = _api.CreateClient();
        _incode.AnswerAll();
    }

    [Fact]
    public async Task Admin_routes_answer_503_without_calling_Incode()
    {
        var finished = IncodePayloads.Read("webhook.onboarding-status");

        await (await _client.GetAsync("/onboarding-status?interviewId=abc"))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        await (await _client.SendAsync(Http.PostJson("/auth", IncodePayloads.Read("authentication-verify.request"))))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        await (await _client.SendAsync(Http.PostJson("/approve", finished)))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Webhook_still_echoes()
    {
        var body = await (await _client.SendAsync(Http.PostJson("/webhook", IncodePayloads.Read("webhook.onboarding-status"))))
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
