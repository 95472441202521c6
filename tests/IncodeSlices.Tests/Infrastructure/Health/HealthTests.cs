using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Infrastructure.Health;

/// <summary>No test here calls Incode, so the shared stub's log stays empty.</summary>
public sealed class HealthTests(IncodeApp app) : IClassFixture<IncodeApp>
{
    private readonly IncodeApp _app = app;

    [Fact]
    public async Task Health_says_alive_without_calling_Incode()
    {
        var body = await (await _app.Client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("""{"status":"alive","sandbox":false}""", body.ToJsonString());
        Assert.Empty(_app.Incode.Calls);
    }

    [Fact]
    public async Task Ready_when_the_configuration_is_valid_and_the_sessions_folder_takes_files()
    {
        var body = await (await _app.Client.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("""{"status":"ready","sandbox":false,"checks":{"configuration":"ok","sessions":"ok"}}""", body.ToJsonString());
        Assert.Empty(Directory.GetFileSystemEntries(_app.SessionsDir)); // the probe file is gone
        Assert.Empty(_app.Incode.Calls);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    public async Task Never_shows_a_setting_value(string path)
    {
        var text = await (await _app.Client.GetAsync(path)).Content.ReadAsStringAsync();

        Assert.DoesNotContain(IncodeStub.ApiKey, text);
        Assert.DoesNotContain(IncodeStub.AdminToken, text);
        Assert.DoesNotContain(IncodeStub.FlowId, text);
        Assert.DoesNotContain(_app.Incode.Url, text);
        Assert.DoesNotContain(_app.SessionsDir, text);
    }
}

public sealed class HealthWithoutSessionsFolderTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly string _notAFolder = Path.GetTempFileName();
    private readonly TestApp _api;

    // A file where the folder should be: not writable even for root, which ignores permission bits.
    public HealthWithoutSessionsFolderTests() =>
        _api = TestApp.WithStub(_incode, new Dictionary<string, string?> { ["SESSIONS_DIR"] = Path.Combine(_notAFolder, "sessions") });

    [Fact]
    public async Task Not_ready_when_the_sessions_folder_cannot_be_written_and_says_which_check_failed()
    {
        using var client = _api.CreateClient();

        var response = await client.GetAsync("/health/ready");

        var body = await response.JsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(
            new JsonObject { ["status"] = "not ready", ["sandbox"] = false, ["checks"] = new JsonObject { ["configuration"] = "ok", ["sessions"] = "failed" } }.ToJsonString(),
            body.ToJsonString());
    }

    [Fact]
    public async Task Still_alive_when_not_ready()
    {
        using var client = _api.CreateClient();

        await (await client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);
    }

    public void Dispose()
    {
        _api.Dispose();
        _incode.Dispose();
        File.Delete(_notAFolder);
    }
}
