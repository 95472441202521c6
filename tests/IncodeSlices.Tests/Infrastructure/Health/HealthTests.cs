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

        Assert.Equal("""{"status":"ready","sandbox":false,"checks":{"configuration":"ok","store":"ok"}}""", body.ToJsonString());
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

/// <summary>A store that cannot be written: refused at start-up, and not ready when it stops taking files later.</summary>
public sealed class HealthWithoutSessionsFolderTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly string _notAFolder = Path.GetTempFileName();

    [Fact]
    public void Refuses_to_start_when_SESSIONS_DIR_cannot_be_written_and_names_the_folder_and_why()
    {
        // A file where a folder of the path should be: not writable even for root, which ignores permission bits.
        var sessions = Path.Combine(_notAFolder, "sessions");
        using var api = TestApp.WithStub(_incode, new Dictionary<string, string?> { ["SESSIONS_DIR"] = sessions });

        Assert.Equal($"IncodeSlices cannot start. SESSIONS_DIR ({sessions}) cannot be written: a part of the path is a file, not a folder.",
            api.StartupRefusal());
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Not_ready_once_the_folder_stops_taking_files_but_still_alive()
    {
        using var api = TestApp.WithStub(_incode);
        using var client = api.CreateClient();
        await (await client.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);
        Directory.Delete(api.SessionsDir, recursive: true);
        await File.WriteAllTextAsync(api.SessionsDir, "not a folder");
        try
        {
            await api.StoreProbedAsync();

            var body = await (await client.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(
                new JsonObject { ["status"] = "not ready", ["sandbox"] = false, ["checks"] = new JsonObject { ["configuration"] = "ok", ["store"] = "failed" } }.ToJsonString(),
                body.ToJsonString());
            await (await client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);
        }
        finally
        {
            File.Delete(api.SessionsDir);
        }
    }

    public void Dispose()
    {
        _incode.Dispose();
        File.Delete(_notAFolder);
    }
}
