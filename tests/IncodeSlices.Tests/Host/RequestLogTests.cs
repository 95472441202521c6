using System.Net;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace IncodeSlices.Tests.Host;

public sealed class RequestLogTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly LogCapture _logs = new();
    private readonly TestApp _api;

    public RequestLogTests() =>
        _api = new TestApp(_incode, services: s => s.AddSingleton<ILogEventSink>(_logs));

    [Fact]
    public async Task Writes_one_line_per_request_with_method_path_status_and_time_but_no_query()
    {
        using var client = _api.CreateClient();

        _incode.AnswerAll();
        await client.GetAsync("/onboarding-status?interviewId=secret-looking-id");

        var line = Assert.Single(_logs.Lines, l => l.StartsWith("HTTP ", StringComparison.Ordinal));
        Assert.Matches(@"^HTTP ""?GET""? ""?/onboarding-status""? responded 200 in \d+(\.\d)? ms$", line);
        Assert.DoesNotContain("secret-looking-id", line);
    }

    public void Dispose()
    {
        _api.Dispose();
        _incode.Dispose();
    }
}
