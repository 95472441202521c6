using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features;

public sealed class FeatureDocumentTests(IncodeApp app) : IClassFixture<IncodeApp>
{
    private async Task<JsonObject> DocumentAsync() =>
        await (await app.Client.GetAsync("/swagger/v1/swagger.json")).JsonAsync(HttpStatusCode.OK);

    private static IEnumerable<(string Route, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject(),
            (path, operation) => ($"{operation.Key.ToUpperInvariant()} {path.Key}", operation.Value!.AsObject()));

    [Fact]
    public async Task Lists_exactly_the_routes_of_the_contracts()
    {
        var routes = Operations(await DocumentAsync()).Select(o => o.Route).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["GET /fetch-score", "GET /onboarding-status", "GET /onboarding-url", "GET /start",
             "POST /approve", "POST /auth", "POST /face-auth/start", "POST /face-auth/verify", "POST /finish", "POST /oauth/token", "POST /webhook"],
            routes);
    }

    [Fact]
    public async Task Marks_auth_deprecated_with_Incode_s_dates_and_its_successor()
    {
        var operations = Operations(await DocumentAsync()).ToDictionary(o => o.Route, o => o.Operation);

        var auth = operations["POST /auth"];
        Assert.True(auth["deprecated"]?.GetValue<bool>());
        var description = auth["description"]!.GetValue<string>();
        Assert.Contains("End of Support on 2026-10-01", description);
        Assert.Contains("End of Life on 2027-04-01", description);
        Assert.Contains("/face-auth/start", description);
        Assert.All(operations.Where(o => o.Key != "POST /auth"), o => Assert.Null(o.Value["deprecated"]));
    }

    [Theory]
    [InlineData("POST /face-auth/start", "400,413,429,502,503,504")]
    [InlineData("POST /face-auth/verify", "400,413,502,503,504")]
    public async Task Documents_the_face_auth_routes_error_answers(string route, string errors)
    {
        var operations = Operations(await DocumentAsync()).ToDictionary(o => o.Route, o => o.Operation);

        var statuses = operations[route]["responses"]!.AsObject().Select(r => r.Key).Where(k => k[0] is '4' or '5');
        Assert.Equal(errors, string.Join(",", statuses.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Describes_every_route_s_answer_and_its_errors_in_the_error_shape()
    {
        var document = await DocumentAsync();

        foreach (var (route, operation) in Operations(document))
        {
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("200"), $"{route} has no 200");
            var errors = responses.Where(r => r.Key[0] is '4' or '5').ToList();
            Assert.True(errors.Count > 0, $"{route} documents no error answer");
            foreach (var (status, error) in errors)
            {
                // The token endpoint's own refusals are OAuth's (RFC 6749 section 5.2), for an OAuth client.
                var shape = route == "POST /oauth/token" && status is "400" or "401" or "429" ? "/OAuthErrorBody" : "/ErrorBody";
                Assert.EndsWith(shape, error!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
                Assert.False(string.IsNullOrWhiteSpace(error["description"]?.GetValue<string>()), $"{route} {status} has no description");
            }
        }
        var errorBody = document["components"]!["schemas"]!["ErrorBody"]!["properties"]!.AsObject();
        Assert.Equal(["success", "error"], errorBody.Select(p => p.Key));
    }

    [Fact]
    public async Task Documents_the_token_endpoint_as_the_form_it_reads_and_the_answers_of_RFC_6749()
    {
        var document = await DocumentAsync();
        var token = Operations(document).Single(o => o.Route == "POST /oauth/token").Operation;
        JsonObject Schema(JsonNode reference) => document["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]]!.AsObject();

        var body = token["requestBody"]!["content"]!.AsObject();
        Assert.Equal(["application/x-www-form-urlencoded"], body.Select(c => c.Key));
        Assert.Equal(["grant_type", "client_id", "client_secret"], Schema(body.Single().Value!["schema"]!["$ref"]!)["properties"]!.AsObject().Select(p => p.Key));
        var issued = Schema(token["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
        Assert.Equal(["access_token", "token_type", "expires_in"], issued["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("invalid_client", token["responses"]!["401"]!["description"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("POST /webhook")]
    [InlineData("POST /approve")]
    public async Task Documents_the_webhook_routes_refusal_of_a_delivery_without_credentials(string route)
    {
        var operation = Operations(await DocumentAsync()).Single(o => o.Route == route).Operation;

        Assert.Contains("bearer token", operation["responses"]!["401"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Names_parameters_as_callers_send_them()
    {
        var operations = Operations(await DocumentAsync()).ToDictionary(o => o.Route, o => o.Operation);

        string Names(string route) => string.Join(",", operations[route]["parameters"]!.AsArray().Select(p => $"{p!["in"]}:{p["name"]}"));
        Assert.Equal("query:uniqueId,query:uuid", Names("GET /start"));
        Assert.Equal("query:interviewId,header:X-Token", Names("GET /fetch-score"));
    }

    [Fact]
    public async Task Serves_Swagger_UI_at_swagger()
    {
        var response = await app.Client.GetAsync("/swagger");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }
}
