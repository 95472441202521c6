using System.Text.Json;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Incode.Sandbox;

namespace IncodeSlices.Tests.Infrastructure.Incode;

public sealed class SandboxIncodeTests
{
    private readonly SandboxIncode _sandbox = new(TimeProvider.System);
    private readonly HttpClient _client;

    public SandboxIncodeTests()
    {
        _client = new HttpClient(new SandboxIncodeHandler(_sandbox)) { BaseAddress = new Uri(SandboxMode.ApiUrl) };
        _client.DefaultRequestHeaders.Add("x-api-key", "any");
    }

    private async Task<(int Status, JsonObject Body)> CallAsync(string method, string pathAndQuery, string? hardwareId, string? body = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery);
        if (hardwareId is not null) request.Headers.Add("X-Incode-Hardware-Id", hardwareId);
        if (body is not null) request.Content = new StringContent(body);
        using var response = await _client.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<string> StartSessionAsync() =>
        (await CallAsync("POST", IncodePaths.Start, null, IncodePayloads.Read("omni-start.request"))).Body["token"]!.GetValue<string>();

    /// <summary>Same keys at every depth, same kinds of value: what a caller's parser depends on.</summary>
    private static void AssertSameShape(JsonNode? expected, JsonNode? actual, string at)
    {
        Assert.True(expected?.GetValueKind() == actual?.GetValueKind(), $"{at}: {expected?.GetValueKind()} became {actual?.GetValueKind()}");
        if (expected is JsonObject e && actual is JsonObject a)
        {
            Assert.Equal(e.Select(p => p.Key), a.Select(p => p.Key));
            foreach (var (key, value) in e) AssertSameShape(value, a[key], $"{at}.{key}");
        }
    }

    [Fact]
    public async Task Answers_each_call_in_the_shape_of_the_payload_file_the_test_stub_uses()
    {
        var session = await StartSessionAsync();

        foreach (var call in IncodePayloads.HappyAnswers)
        {
            var hardwareId = call.Path is IncodePaths.OnboardingUrl or IncodePaths.FinishStatus or IncodePaths.Start ? session : SandboxIncode.AdminToken;
            var body = call.Path == IncodePaths.AuthenticationVerify ? IncodePayloads.Read("authentication-verify.request") : "{}";

            var (status, answer) = await CallAsync(call.Method, $"{call.Path}?id=6650f0c2a1b2c3d4e5f60718&interviewId=6650f0c2a1b2c3d4e5f60718", hardwareId, body);

            Assert.True(status == 200, $"{call.Method} {call.Path} answered {status}: {answer.ToJsonString()}");
            AssertSameShape(IncodePayloads.ReadObject(call.Payload), answer, $"{call.Method} {call.Path}");
        }
    }

    [Fact]
    public async Task Answers_a_purge_with_the_admin_token_only()
    {
        const string purge = """{"filter":{"ids":["6650f0c2a1b2c3d4e5f60718"]},"config":{"deletePiiDataOnly":true}}""";

        var (status, body) = await CallAsync("DELETE", IncodePaths.Interviews, SandboxIncode.AdminToken, purge);
        var (refused, _) = await CallAsync("DELETE", IncodePaths.Interviews, await StartSessionAsync(), purge);
        var (empty, _) = await CallAsync("DELETE", IncodePaths.Interviews, SandboxIncode.AdminToken, "{}");

        Assert.Equal((200, "{}"), (status, body.ToJsonString()));
        Assert.Equal(401, refused);
        Assert.Equal(400, empty);
    }

    [Fact]
    public async Task Scores_fail_interviews_from_the_fail_payload()
    {
        var (_, answer) = await CallAsync("GET", $"{IncodePaths.Score}?id=fail-1", SandboxIncode.AdminToken);

        Assert.True(JsonNode.DeepEquals(IncodePayloads.ReadObject("score.fail.response"), answer));
    }

    [Theory]
    [InlineData("68c851bedd5176f7d8bf4758", "OK")]
    [InlineData("fail-68c851bedd5176f7d8bf", "FAIL")]
    public async Task Scores_a_face_authentication_as_a_match_of_the_identity_it_was_started_for(string identityId, string status)
    {
        using var client = new HttpClient(new SandboxIncodeHandler(new SandboxIncode(TimeProvider.System, new Hints("face-interview", identityId))))
        { BaseAddress = new Uri(SandboxMode.ApiUrl) };
        client.DefaultRequestHeaders.Add("x-api-key", "any");
        client.DefaultRequestHeaders.Add("X-Incode-Hardware-Id", SandboxIncode.AdminToken);

        var answer = JsonNode.Parse(await client.GetStringAsync($"{IncodePaths.Score}?id=face-interview"))!;
        var other = JsonNode.Parse(await client.GetStringAsync($"{IncodePaths.Score}?id=6650f0c2a1b2c3d4e5f60718"))!;

        AssertSameShape(IncodePayloads.ReadObject("score.authentication.response"), answer, "face authentication");
        Assert.Equal(identityId, answer["authentication"]!["identityId"]!.GetValue<string>());
        Assert.Equal(status, answer["overall"]!["status"]!.GetValue<string>());
        Assert.Null(other["authentication"]); // any other interview scores as an onboarding
    }

    private sealed class Hints(string interviewId, string identityId) : IFaceAuthHints
    {
        public Task<string?> IdentityOfAsync(string id, CancellationToken ct) => Task.FromResult(id == interviewId ? identityId : null);
    }

    [Theory]
    [InlineData(IncodePaths.OnboardingUrl)]
    [InlineData(IncodePaths.FinishStatus)]
    [InlineData(IncodePaths.Score + "?id=abc")]
    public async Task Refuses_session_calls_with_a_token_it_did_not_issue(string pathAndQuery)
    {
        var (status, answer) = await CallAsync("GET", pathAndQuery, "eyJ.some-other-token");

        Assert.Equal(401, status);
        AssertSameShape(IncodePayloads.ReadObject("error.response"), answer, pathAndQuery);
    }

    [Fact]
    public async Task Refuses_admin_calls_with_a_session_token()
    {
        var session = await StartSessionAsync();

        var (status, _) = await CallAsync("GET", $"{IncodePaths.OnboardingStatus}?id=abc", session);

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Refuses_calls_without_an_API_key()
    {
        _client.DefaultRequestHeaders.Remove("x-api-key");

        var (status, _) = await CallAsync("GET", $"{IncodePaths.OnboardingStatus}?id=abc", SandboxIncode.AdminToken);

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Knows_no_call_the_server_does_not_make()
    {
        var (status, answer) = await CallAsync("GET", "/omni/get/images", SandboxIncode.AdminToken);

        Assert.Equal(404, status);
        Assert.Equal(JsonValueKind.String, answer["error"]!.GetValueKind());
    }
}
