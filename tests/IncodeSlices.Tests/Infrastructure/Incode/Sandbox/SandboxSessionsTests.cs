using System.Net;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Infrastructure.Incode.Sandbox;

/// <summary>Made-up sessions never mix with real ones, even in one SESSIONS_DIR.</summary>
public sealed class SandboxSessionsTests : IDisposable
{
    private readonly string _sessions = Directory.CreateTempSubdirectory("incodeslices-shared-").FullName;
    private readonly IncodeStub _incode = new();

    [Fact]
    public async Task Keeps_sandbox_sessions_in_a_folder_of_their_own_that_a_real_server_does_not_read()
    {
        using var sandbox = TestApp.Sandbox(new Dictionary<string, string?> { ["SESSIONS_DIR"] = _sessions });
        var made = await (await sandbox.Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var uniqueId = made["uniqueId"]!.GetValue<string>();

        Assert.True(File.Exists(Path.Combine(_sessions, "sandbox", uniqueId + ".json")));
        Assert.False(File.Exists(Path.Combine(_sessions, uniqueId + ".json")));
        using var real = TestApp.WithStub(_incode, new Dictionary<string, string?> { ["SESSIONS_DIR"] = _sessions });
        await (await real.Client.GetAsync($"/start?uniqueId={uniqueId}")).AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid uniqueId");
    }

    [Fact]
    public async Task A_real_server_never_hands_out_a_sandbox_token_left_in_its_folder()
    {
        const string uniqueId = "0b6e1d9c-3f0a-4a7e-9c1d-2f8e5b7a6c40";
        await File.WriteAllTextAsync(Path.Combine(_sessions, uniqueId + ".json"), // as sandboxes before their own folder wrote them
            $$"""{"token":"sandbox.0123456789abcdef","interviewId":"6650f0c2a1b2c3d4e5f60718","uniqueId":"{{uniqueId}}"}""");
        using var real = TestApp.WithStub(_incode, new Dictionary<string, string?> { ["SESSIONS_DIR"] = _sessions });

        await (await real.Client.GetAsync($"/start?uniqueId={uniqueId}")).AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid uniqueId");
        Assert.Empty(_incode.Calls);
    }

    public void Dispose()
    {
        _incode.Dispose();
        Directory.Delete(_sessions, recursive: true);
    }
}
