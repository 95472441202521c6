using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using WireMock.Logging;

namespace IncodeSlices.Tests.Support;

public static class Requests
{
    /// <summary>A POST as the browser samples send it: <c>fetch(url, {method:'POST', body})</c> with no headers.</summary>
    public static HttpRequestMessage PostText(string path, string body, string? contentType = "text/plain; charset=UTF-8")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    public static HttpRequestMessage PostJson(string path, string body) => PostText(path, body, "application/json");

}

public static class Responses
{
    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts the contract's error shape, exactly <c>{"success":false,"error":…}</c>.</summary>
    public static async Task AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.JsonAsync(status);
        Assert.Equal(new JsonObject { ["success"] = false, ["error"] = error }.ToJsonString(), body.ToJsonString());
    }

    /// <summary>Asserts the unknown-route answer, exactly <c>{"error":"Cannot GET /nope"}</c>.</summary>
    public static async Task AssertNotFoundAsync(this HttpResponseMessage response, string error)
    {
        var body = await response.JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal(new JsonObject { ["error"] = error }.ToJsonString(), body.ToJsonString());
    }
}

public static class Json
{
    public static void AssertSame(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");
}

public static class IncodeCallAssertions
{
    public static string Header(this ILogEntry call, string name) =>
        call.RequestMessage.Headers!.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value.Single();

    public static bool HasHeader(this ILogEntry call, string name) =>
        call.RequestMessage.Headers!.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>What every call carries, plus the per-call X-Incode-Hardware-Id (or its absence).</summary>
    public static void AssertIncodeHeaders(this ILogEntry call, string? hardwareId)
    {
        Assert.Equal(IncodeStub.ApiKey, call.Header("x-api-key"));
        Assert.Equal("1.0", call.Header("api-version"));
        Assert.StartsWith("application/json", call.Header("Content-Type"));
        if (hardwareId is null) Assert.False(call.HasHeader("X-Incode-Hardware-Id"));
        else Assert.Equal(hardwareId, call.Header("X-Incode-Hardware-Id"));
        Assert.False(call.HasHeader("traceparent"), "a trace context reached Incode, which is not part of the server's traces");
    }

    /// <summary>The raw query as it reached Incode, e.g. <c>?id=abc</c>.</summary>
    public static string RawQuery(this ILogEntry call) => new Uri(call.RequestMessage.Url).Query;
}
