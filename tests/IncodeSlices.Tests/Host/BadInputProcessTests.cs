using System.Net;
using IncodeSlices.Tests.Support;
using Xunit.Abstractions;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// The same malformed requests over real sockets to the real process, plus what only raw bytes can
/// carry (bare LF, NUL, obs-fold, conflicting lengths): Kestrel refuses some before the app sees them,
/// with an empty 4xx; the process must survive all of them and still answer.
/// </summary>
[Trait("Category", ServerProcess.Category)]
public sealed class BadInputProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("incodeslices-badsocket-").FullName;
    private readonly IncodeStub _incode = new();

    [Fact]
    public async Task The_process_survives_every_malformed_request_over_a_socket_and_answers_none_with_5xx()
    {
        _incode.AnswerAll(freshSessions: true); // each face-auth session is stored under its own interviewId
        using var server = await ServerProcess.StartStubbedAsync(_incode.Url, _root);
        // A quarter of the in-memory set keeps this under ten seconds; the in-memory test sends all of it.
        var requests = MalformedRequests.All(outside: _root).Where((_, i) => i % 4 == 0).Concat(OnlyOnTheWire()).ToList();
        var before = BadInputTests.FilesOutsideSessions(_root);

        var wrong = new List<string>();
        var statuses = new Dictionary<string, int>();
        foreach (var request in requests)
        {
            var response = await RawHttp.SendOverSocketAsync(server.BaseAddress, request, TimeSpan.FromSeconds(30));
            var key = response is null ? "closed" : response.Body.Length == 0 && response.Status >= 400 ? $"{response.Status} (Kestrel, empty)" : $"{response.Status}";
            statuses[key] = statuses.GetValueOrDefault(key) + 1;
            if (response is null) wrong.Add($"{request} → connection closed without an answer");
            else if (response.Status >= 500 || response.Body.Length > 0) wrong.AddRange(BadInputTests.Judge(request, response) is { } why ? [why] : []);
        }

        output.WriteLine($"{requests.Count} requests over sockets; statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {requests.Count} wrong:\n" + string.Join("\n", wrong.Take(60)));
        Assert.False(server.HasExited, server.Output);
        Assert.Equal(before, BadInputTests.FilesOutsideSessions(_root));
        BadInputTests.AssertNothingInjectedInto(_incode);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await (await http.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Framing that HttpClient and TestServer cannot produce; each is written to the socket as it is.</summary>
    private static IEnumerable<RawRequest> OnlyOnTheWire()
    {
        const string score = "/fetch-score?interviewId=6650f0c2a1b2c3d4e5f60718";
        KeyValuePair<string, string> H(string name, string value) => new(name, value);
        yield return new("X-Token then an injected header", "GET", score, Headers: [H("X-Token", "t\r\nX-Injected: yes")]);
        yield return new("bare LF in X-Token", "GET", score, Headers: [H("X-Token", "a\nX-Injected: yes")]);
        yield return new("bare CR in X-Token", "GET", score, Headers: [H("X-Token", "a\rb")]);
        yield return new("NUL in X-Token", "GET", score, Headers: [H("X-Token", "a\0b")]);
        yield return new("obs-fold X-Token", "GET", score, Headers: [H("X-Token", "a\r\n b")]);
        yield return new("UTF-8 in X-Token", "GET", score, Headers: [H("X-Token", "jwt-ümlaut-面接")]);
        yield return new("X-Token over 4 KB", "GET", score, Headers: [H("X-Token", new string('t', 5000))]);
        yield return new("headers over 32 KB", "GET", "/start", Headers: [H("X-Padding", new string('h', 40 * 1024))]);
        yield return new("header without a colon", "GET", "/start", Headers: [H("NoColon\r\nX", "y")]);
        yield return new("space before the colon", "GET", "/start", Headers: [H("X-Token ", "t")]);
        yield return new("Content-Length and chunked", "POST", "/finish", "{\"token\":\"t\"}"u8.ToArray(),
            [H("Transfer-Encoding", "chunked")]);
        yield return new("two Content-Lengths", "POST", "/finish", "{\"token\":\"t\"}"u8.ToArray(), [H("Content-Length", "3")]);
        yield return new("negative Content-Length", "POST", "/finish", null, [H("Content-Length", "-1")]);
        yield return new("Content-Length past the body", "POST", "/finish", null, [H("Content-Length", "100000")]);
        yield return new("Content-Length too big to parse", "POST", "/finish", null, [H("Content-Length", "99999999999999999999999")]);
        yield return new("smuggled second request", "POST", "/finish",
            "{\"token\":\"t\"}GET /start HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        yield return new("NUL in the method", "G\0T", "/start");
        yield return new("lower-case method", "get", "/start");
        yield return new("target with a space", "GET", "/start?uniqueId=a b");
        yield return new("target with raw UTF-8", "GET", "/onboarding-status?interviewId=面接");
        yield return new("target with raw CR/LF", "GET", "/onboarding-status?interviewId=a\r\nX-Injected: yes");
        yield return new("target with a NUL", "GET", "/onboarding-status?interviewId=a\0b");
        yield return new("absolute-form target", "GET", "http://evil.example/start");
        yield return new("asterisk target", "OPTIONS", "*");
        yield return new("target over 8 KB", "GET", "/onboarding-status?interviewId=" + new string('a', 10_000));
        yield return new("target without a slash", "GET", "start");
    }

    public void Dispose()
    {
        _incode.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
