using System.Diagnostics;
using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Xunit.Abstractions;

namespace IncodeSlices.Tests.Infrastructure.Incode;

/// <summary>
/// A 50 MB answer from Incode, to the real process: refused with a 502, and the process's peak memory
/// (what the kernel saw it hold, not what a collection left) does not grow by anything like the body.
/// </summary>
[Trait("Category", ServerProcess.Category)]
public sealed class IncodeBodySizeProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int Requests = 5;
    private const long AllowedGrowth = 25 * 1024 * 1024;
    private readonly string _root = Directory.CreateTempSubdirectory("incodeslices-bodysize-").FullName;
    private readonly IncodeStub _incode = new();
    private readonly RudeIncode _rude = new();

    [Fact]
    public async Task A_50_MB_answer_with_its_length_is_refused_without_being_read()
    {
        _incode.AnswerAll();
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root);
        await WarmUpAsync(server);
        _incode.Reset();
        _incode.Answer("GET", IncodePaths.FinishStatus, 200, new string(' ', RudeIncode.HugeBodyBytes) + "{}");

        await AssertRefusedWithoutGrowingAsync(server, "with-length");
    }

    [Fact]
    public async Task A_50_MB_chunked_answer_is_read_no_further_than_1_MB()
    {
        using var server = await ServerProcess.StartStubbedAsync(_rude.Url, _root);
        await WarmUpAsync(server);
        _rude.Fault = (IncodePaths.FinishStatus, Rudeness.HugeChunkedBody);

        await AssertRefusedWithoutGrowingAsync(server, "chunked");
    }

    private async Task AssertRefusedWithoutGrowingAsync(ServerProcess server, string kind)
    {
        var before = PeakMemory(server);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        for (var i = 0; i < Requests; i++)
            await (await http.SendAsync(Support.Requests.PostJson("/finish", """{"token":"session-token"}""")))
                .AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/finish-status answered with a body over 1 MB");
        var growth = PeakMemory(server) - before;

        output.WriteLine($"{kind}: peak working set {before / 1048576.0:0.0} MB before, grew {growth / 1048576.0:0.0} MB over {Requests} answers of 50 MB");
        Assert.False(server.HasExited);
        Assert.True(growth < AllowedGrowth, $"peak memory grew {growth / 1048576.0:0.0} MB");
    }

    /// <summary>The same route answered well a few times, so that JIT and pools are at their size before the baseline.</summary>
    private static async Task WarmUpAsync(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        for (var i = 0; i < 20; i++)
            (await http.SendAsync(Support.Requests.PostJson("/finish", """{"token":"session-token"}"""))).EnsureSuccessStatusCode();
    }

    /// <summary>The most the process has held resident since it started (VmHWM on Linux).</summary>
    private static long PeakMemory(ServerProcess server)
    {
        using var process = Process.GetProcessById(server.Id);
        return process.PeakWorkingSet64;
    }

    public void Dispose()
    {
        _rude.Dispose();
        _incode.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
