using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Start;

public sealed class StartStorageFailureTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly TestApp _api;

    public StartStorageFailureTests() => _api = TestApp.WithStub(_incode);

    [Fact]
    public async Task Answers_an_error_and_no_uniqueId_when_the_session_cannot_be_written()
    {
        _incode.AnswerAll();
        Directory.CreateDirectory(_api.SessionsDir);
        File.SetUnixFileMode(_api.SessionsDir, UnixFileMode.UserRead | UnixFileMode.UserExecute); // read-only folder
        if (Environment.UserName == "root")
        {
            // root writes through permission bits: a file where the folder should be fails for anyone
            Directory.Delete(_api.SessionsDir);
            await File.WriteAllTextAsync(_api.SessionsDir, "not a folder");
        }
        using var client = _api.CreateClient();

        var response = await client.GetAsync("/start");

        await response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Session could not be stored");
        Assert.Single(_incode.CallsTo(IncodePaths.Start));
    }

    public void Dispose()
    {
        if (File.Exists(_api.SessionsDir)) File.Delete(_api.SessionsDir);
        _api.Dispose();
        _incode.Dispose();
    }
}
