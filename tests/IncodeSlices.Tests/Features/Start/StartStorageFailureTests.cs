using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Start;

/// <summary>No billable Incode session is created that the server then cannot store.</summary>
public sealed class StartStorageFailureTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly string _notAFolder = Path.GetTempFileName();

    [Fact]
    public void Refuses_to_start_with_SESSIONS_DIR_naming_a_file()
    {
        using var api = TestApp.WithStub(_incode, new Dictionary<string, string?> { ["SESSIONS_DIR"] = _notAFolder });

        Assert.Equal($"IncodeSlices cannot start. SESSIONS_DIR ({_notAFolder}) cannot be written: it is a file, not a folder.", api.StartupRefusal());
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Calls_Incode_for_no_session_once_a_write_has_failed_until_the_store_takes_files_again()
    {
        _incode.AnswerAll();
        using var api = TestApp.WithStub(_incode);
        using var client = api.CreateClient();
        await (await client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        Directory.Delete(api.SessionsDir, recursive: true);
        await File.WriteAllTextAsync(api.SessionsDir, "not a folder"); // a folder that went away, for root too

        // The first write after it fails (Incode had been called), and no call is made from then on.
        await (await client.GetAsync("/start")).AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Session could not be stored");
        await (await client.GetAsync("/start")).AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Session could not be stored");
        Assert.Equal(2, _incode.CallsTo(IncodePaths.Start).Count);

        File.Delete(api.SessionsDir);
        await api.StoreProbedAsync();
        await (await client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, _incode.CallsTo(IncodePaths.Start).Count);
    }

    public void Dispose()
    {
        _incode.Dispose();
        File.Delete(_notAFolder);
    }
}
