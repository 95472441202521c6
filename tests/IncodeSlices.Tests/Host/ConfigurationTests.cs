using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Tests.Host;

public sealed class ConfigurationTests
{
    [Fact]
    public void Refuses_to_start_and_names_every_missing_variable_but_no_value()
    {
        using var incode = new IncodeStub();
        using var api = new ApiFactory(incode, new Dictionary<string, string?>
        {
            ["API_URL"] = "",
            ["FLOW_ID"] = "",
            ["API_KEY"] = "secret-key-that-must-not-show",
        });

        var error = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Equal("Missing required configuration: API_URL, FLOW_ID.", validation.Message);
        Assert.DoesNotContain("secret-key", validation.Message);
    }

    [Fact]
    public void Refuses_an_API_URL_that_is_not_http()
    {
        using var incode = new IncodeStub();
        using var api = new ApiFactory(incode, new Dictionary<string, string?> { ["API_URL"] = "ftp://incode.example" });

        var error = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("API_URL must be an absolute http or https URL.", error.ToString());
    }
}

public sealed class MissingAdminTokenTests : IDisposable
{
    private readonly IncodeStub _incode = new();
    private readonly ApiFactory _api;
    private readonly HttpClient _client;

    public MissingAdminTokenTests()
    {
        _api = new ApiFactory(_incode, new Dictionary<string, string?> { ["ADMIN_TOKEN"] = "" });
        _client = _api.CreateClient();
        _incode.AnswerAll();
    }

    [Fact]
    public async Task Admin_routes_answer_503_without_calling_Incode()
    {
        var finished = IncodePayloads.Read("webhook.onboarding-status");

        await (await _client.GetAsync("/onboarding-status?interviewId=abc"))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        await (await _client.SendAsync(Http.PostJson("/auth", IncodePayloads.Read("authentication-verify.request"))))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        await (await _client.SendAsync(Http.PostJson("/approve", finished)))
            .AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "ADMIN_TOKEN is not configured");
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Webhook_still_echoes()
    {
        var body = await (await _client.SendAsync(Http.PostJson("/webhook", IncodePayloads.Read("webhook.onboarding-status"))))
            .JsonAsync(HttpStatusCode.OK);

        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Empty(_incode.Calls);
    }

    [Fact]
    public async Task Session_routes_still_work()
    {
        await (await _client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
    }

    public void Dispose()
    {
        _client.Dispose();
        _api.Dispose();
        _incode.Dispose();
    }
}
