using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Xunit.Abstractions;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// Every malformed request of <see cref="MalformedRequests"/>, straight into the app: none may answer
/// 5xx, every refusal is the contract's JSON error, and nothing is written outside the sessions folder.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("incodeslices-badinput-").FullName;
    private readonly IncodeStub _incode = new();

    [Fact]
    public async Task No_malformed_request_gets_a_5xx_or_a_non_JSON_refusal_or_writes_outside_the_sessions_folder()
    {
        _incode.AnswerAll(freshSessions: true); // each face-auth session is stored under its own interviewId
        using var api = ForBadInput(_incode, _root);
        var requests = MalformedRequests.All(outside: _root).ToList();
        var before = FilesOutsideSessions(_root);

        var verdicts = new List<(RawRequest Request, RawResponse Response)>();
        foreach (var request in requests) verdicts.Add((request, await api.Server.SendInMemoryAsync(request)));

        output.WriteLine($"{requests.Count} malformed requests; statuses: " + string.Join(", ",
            verdicts.GroupBy(v => v.Response.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        var wrong = verdicts.Select(v => Judge(v.Request, v.Response)).OfType<string>().ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {requests.Count} wrong:\n" + string.Join("\n", wrong.Take(100)));
        Assert.True(requests.Count >= 500, $"only {requests.Count} requests");
        Assert.Equal(before, FilesOutsideSessions(_root));
        AssertNothingInjectedInto(_incode);
        await (await api.CreateClient().GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(MalformedRequests.Smuggled)]
    [InlineData("a\0b")]
    [InlineData("jwt-with-ümlaut")]
    [InlineData("\u2024\u2024")]
    public async Task A_token_that_cannot_be_a_header_value_is_refused_unsent(string token)
    {
        _incode.AnswerAll();
        using var api = ForBadInput(_incode, _root);
        var client = api.CreateClient();
        var finish = new JsonObject { ["token"] = token }.ToJsonString();
        var score = new HttpRequestMessage(HttpMethod.Get, "/fetch-score?interviewId=abc");
        score.Headers.TryAddWithoutValidation("X-Token", token);

        await (await client.SendAsync(Requests.PostJson("/finish", finish))).AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid session token");
        await (await client.SendAsync(score)).AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid session token");
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Refuses_an_X_Token_over_4_KB_with_400_before_calling_Incode()
    {
        _incode.AnswerAll();
        using var api = ForBadInput(_incode, _root);
        var request = new HttpRequestMessage(HttpMethod.Get, "/fetch-score?interviewId=6650f0c2a1b2c3d4e5f60718");
        request.Headers.Add("X-Token", new string('t', 4097));

        await (await api.CreateClient().SendAsync(request)).AssertErrorAsync(HttpStatusCode.BadRequest, "X-Token is too long");
        Assert.Empty(_incode.Calls);
    }

    /// <summary>Null when the answer is acceptable, else why not.</summary>
    internal static string? Judge(RawRequest request, RawResponse response)
    {
        if (response.Status >= 500) return $"{request} → {response.Status} {response.Body}";
        if (response.Body.Contains("   at ", StringComparison.Ordinal)) return $"{request} → stack trace in {response.Body}";
        if (response.Status is >= 200 and < 300 && response.Body.Length == 0) return null;
        if (response.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            return $"{request} → {response.Status} with Content-Type {response.ContentType}";

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(response.Body);
        }
        catch (JsonException)
        {
            return $"{request} → {response.Status} not JSON: {response.Body}";
        }
        if (response.Status < 300) return null;
        return IsErrorShape(json, response.Status) ? null : $"{request} → {response.Status} not the error shape: {response.Body}";
    }

    private static bool IsErrorShape(JsonNode? json, int status)
    {
        if (json is not JsonObject body || body["error"] is not JsonValue error || error.GetValueKind() != JsonValueKind.String) return false;
        return status == 404 && body.Count == 1
            || body.Count == 2 && body["success"] is JsonValue success && success.GetValueKind() == JsonValueKind.False;
    }

    /// <summary>Only the calls this server makes reached Incode, none with a header a caller slipped in.</summary>
    internal static void AssertNothingInjectedInto(IncodeStub incode)
    {
        string[] known = [IncodePaths.Start, IncodePaths.OnboardingUrl, IncodePaths.OnboardingStatus, IncodePaths.Score,
            IncodePaths.AuthenticationVerify, IncodePaths.ProcessApprove, IncodePaths.FinishStatus];
        Assert.All(incode.Calls, call =>
        {
            Assert.Contains(call.RequestMessage.Path, known);
            Assert.False(call.HasHeader("X-Injected") || call.HasHeader("Set-Cookie"), $"header injected into {call.RequestMessage.Path}");
        });
    }

    internal static TestApp ForBadInput(IncodeStub incode, string root) => TestApp.WithStub(incode, new Dictionary<string, string?>
    {
        ["SESSIONS_DIR"] = Path.Combine(root, "sessions"),
        // Generous: on a busy machine a slow stub must not pass for the server's own 504.
        ["INCODE_TIMEOUT_SECONDS"] = "30",
        ["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "15",
    });

    /// <summary>Every file under <paramref name="root"/> but its sessions folder, and the working directory's.</summary>
    internal static string FilesOutsideSessions(string root)
    {
        var sessions = Path.Combine(root, "sessions") + Path.DirectorySeparatorChar;
        var outside = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(p => !(p + Path.DirectorySeparatorChar).StartsWith(sessions, StringComparison.Ordinal))
            .Concat(Directory.EnumerateFileSystemEntries(Directory.GetCurrentDirectory(), "*", SearchOption.AllDirectories));
        return string.Join("\n", outside.Order(StringComparer.Ordinal));
    }

    public void Dispose()
    {
        _incode.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
