using IncodeSlices.Tests.Support;
using WireMock.Server;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// <c>--healthcheck</c>, the container's health probe: a WireMock server stands in for the server
/// being probed, so these tests hold whatever <c>/health</c> itself reports.
/// </summary>
[Trait("Category", ServerProcess.Category)]
public sealed class HealthProbeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-probe-").FullName;
    private readonly WireMockServer _server = WireMockServer.Start(FreePorts.Next());

    [Theory]
    [InlineData(200, 0)]
    [InlineData(503, 1)]
    [InlineData(404, 1)]
    public async Task Exits_0_only_when_health_answers_2xx(int status, int expectedExitCode)
    {
        _server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/health").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(status).WithBody("{}"));

        using var probe = ServerProcess.Start(_folder, new Dictionary<string, string?> { ["PORT"] = _server.Ports[0].ToString() }, ["--healthcheck"]);

        Assert.Equal(expectedExitCode, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task Exits_1_when_nothing_listens()
    {
        using var probe = ServerProcess.Start(_folder, new Dictionary<string, string?>(), ["--healthcheck"]); // a free port

        Assert.Equal(1, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("/health did not answer", probe.Output);
    }

    public void Dispose()
    {
        _server.Stop();
        Directory.Delete(_folder, recursive: true);
    }
}
