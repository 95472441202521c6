using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Infrastructure.Http;

public sealed class HttpEdgeTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    [Theory]
    [InlineData("GET", "/nope?x=1")]
    [InlineData("POST", "/nope")]
    [InlineData("DELETE", "/start")]
    [InlineData("PUT", "/finish")]
    [InlineData("GET", "/auth")]
    [InlineData("POST", "/start?uniqueId=abc")]
    [InlineData("GET", "/sign-contract")]
    public async Task Answers_404_Cannot_METHOD_path_for_an_unknown_route(string method, string pathAndQuery)
    {
        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), pathAndQuery));

        var body = await response.JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal(new JsonObject { ["error"] = $"Cannot {method} {pathAndQuery}" }.ToJsonString(), body.ToJsonString());
        Assert.Empty(App.Incode.Calls);
    }

    [Fact]
    public async Task HEAD_start_creates_no_session()
    {
        App.Incode.AnswerAll();

        var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/start"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(App.Incode.Calls);
    }

    [Fact]
    public async Task Allows_any_origin_and_the_X_Token_preflight()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/fetch-score?interviewId=abc");
        preflight.Headers.Add("Origin", "http://localhost:5173");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-token");

        var response = await Client.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, $"preflight answered {(int)response.StatusCode}");
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-token", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(App.Incode.Calls);
    }

    [Fact]
    public async Task Puts_the_CORS_header_on_errors_too()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/onboarding-status");
        request.Headers.Add("Origin", "https://frontend.example");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Answers_413_for_a_body_over_64_KB()
    {
        var body = $$"""{"token":"{{new string('a', 64 * 1024)}}"}""";

        var response = await Client.SendAsync(Requests.PostText("/finish", body));

        await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "Request body is larger than 64 KB");
        Assert.Empty(App.Incode.Calls);
    }

    [Fact]
    public async Task Reads_a_body_that_starts_with_a_UTF8_byte_order_mark()
    {
        App.Incode.AnswerAll();
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat("""{"token":"t"}"""u8.ToArray()).ToArray();

        var response = await Client.PostAsync("/finish", new ByteArrayContent(bytes));

        await response.JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refuses_deeply_nested_JSON()
    {
        var body = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000)) + "}";

        var response = await Client.SendAsync(Requests.PostText("/webhook", body));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid JSON body");
    }

    [Fact]
    public async Task Answers_in_UTF8_JSON()
    {
        var response = await Client.GetAsync("/onboarding-status");

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }
}
