using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Infrastructure.Incode;

/// <summary>"Could not be reached" to the caller; why, in the log, for whoever runs the server.</summary>
public sealed class IncodeUnreachableTests
{
    [Fact]
    public async Task Logs_a_refused_connection_as_refused_and_answers_502()
    {
        var closed = FreePorts.Next(); // nothing listens there
        using var api = TestApp.Bare(new Dictionary<string, string?>
        {
            ["API_URL"] = $"http://127.0.0.1:{closed}",
            ["API_KEY"] = "key-that-must-not-show",
            ["FLOW_ID"] = "f",
            ["INCODE_READ_RETRIES"] = "0",
        });

        var response = await api.Client.GetAsync("/start");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/start could not be reached");
        await api.AllRequestsEndedAsync();
        Assert.Contains(api.Logs.Lines, line => line.Contains("could not be reached (connection refused)", StringComparison.Ordinal));
        api.Logs.AssertNoneContains("key-that-must-not-show");
    }

    public static TheoryData<Exception, string> Causes() => new()
    {
        { new HttpRequestException(HttpRequestError.NameResolutionError, "x", new SocketException((int)SocketError.HostNotFound)), "host name not resolved" },
        { new HttpRequestException(HttpRequestError.ConnectionError, "x", new SocketException((int)SocketError.ConnectionRefused)), "connection refused" },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "x", new AuthenticationException("x")), "TLS handshake failed" },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "x"), "connection closed before the answer ended" },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void Names_why_Incode_could_not_be_reached(Exception cause, string reason) =>
        Assert.Equal(reason, new IncodeCallException(IncodePaths.Start, IncodeFailure.Unreachable, cause).Reason);
}
