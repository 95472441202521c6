using System.Net;
using System.Net.Http.Headers;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Decisions;

/// <summary>GET /decisions: there only with durable processing and DECISIONS_API_KEY, the key checked before the parameters.</summary>
public sealed class DecisionFeedTests : IDisposable
{
    private const string ApiKey = "test-decisions-api-key-0001";
    private readonly List<TestApp> _servers = [];

    private HttpClient Server(string processing = "durable", string? apiKey = ApiKey)
    {
        var server = TestApp.Sandbox(new Dictionary<string, string?> { ["WEBHOOK_PROCESSING"] = processing, ["DECISIONS_API_KEY"] = apiKey });
        _servers.Add(server);
        return server.Client;
    }

    private static HttpRequestMessage Get(string query, string? key = ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/decisions" + query);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    [Theory]
    [InlineData("durable", null)]
    [InlineData("inline", ApiKey)]
    public async Task Does_not_exist_without_durable_processing_and_an_api_key(string processing, string? apiKey)
    {
        var response = await Server(processing, apiKey).SendAsync(Get("?limit=5"));

        await response.AssertNotFoundAsync("Cannot GET /decisions?limit=5");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-of-the-same-len")]
    [InlineData("test-decisions-api-key-000")]
    public async Task Refuses_a_missing_or_wrong_key_before_looking_at_the_parameters(string? key)
    {
        var response = await Server().SendAsync(Get("?limit=nope", key));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "Missing or wrong bearer key");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("?after=abc", "Invalid parameter after: pass the next of an earlier page")]
    [InlineData("?after=-1", "Invalid parameter after: pass the next of an earlier page")]
    [InlineData("?limit=0", "Invalid parameter limit: a whole number from 1 to 500")]
    [InlineData("?limit=501", "Invalid parameter limit: a whole number from 1 to 500")]
    [InlineData("?limit=ten", "Invalid parameter limit: a whole number from 1 to 500")]
    public async Task Names_a_malformed_parameter(string query, string error)
    {
        var response = await Server().SendAsync(Get(query));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task An_empty_feed_reads_on_from_where_it_was_asked()
    {
        var client = Server();

        var first = await (await client.SendAsync(Get(""))).JsonAsync(HttpStatusCode.OK);
        var later = await (await client.SendAsync(Get("?after=41&limit=500"))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("""{"decisions":[],"next":"0"}""", first.ToJsonString());
        Assert.Equal("""{"decisions":[],"next":"41"}""", later.ToJsonString());
    }

    public void Dispose()
    {
        foreach (var server in _servers) server.Dispose();
    }
}
