using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Tests.Infrastructure.SessionBudget;

/// <summary>One server for the class: each test spends the budget of addresses of its own.</summary>
public sealed class SessionBudgetTests : AppTests<SessionBudgetTests.BudgetApp>
{
    public sealed class BudgetApp() : IncodeApp(new Dictionary<string, string?>
    {
        ["RATE_LIMIT_PER_MINUTE"] = "3",
        ["TRUSTED_PROXIES"] = "10.0.0.1, 192.168.7.0/24",
    });

    public SessionBudgetTests(BudgetApp app) : base(app)
    {
        _ = Client; // boots the server
        Incode.AnswerAll();
    }

    /// <summary>A request as it arrives on a socket from <paramref name="peer"/>, optionally with X-Forwarded-For.</summary>
    private async Task<HttpResponseMessage> From(string peer, string pathAndQuery, string? forwardedFor = null)
    {
        var context = await App.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            c.Request.Method = "GET";
            var query = pathAndQuery.IndexOf('?');
            c.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
            c.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
            if (forwardedFor is not null) c.Request.Headers["X-Forwarded-For"] = forwardedFor;
        });
        var response = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode)
        {
            Content = new StreamContent(context.Response.Body),
        };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", context.Response.ContentType);
        if (context.Response.Headers.RetryAfter.Count > 0) response.Headers.TryAddWithoutValidation("Retry-After", context.Response.Headers.RetryAfter.ToString());
        return response;
    }

    [Fact]
    public async Task Answers_429_with_Retry_After_past_the_budget_and_makes_no_Incode_call()
    {
        for (var i = 0; i < 3; i++) await (await From("203.0.113.5", "/start")).JsonAsync(HttpStatusCode.OK);

        var refused = await From("203.0.113.5", "/start");

        var body = await refused.JsonAsync(HttpStatusCode.TooManyRequests);
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.StartsWith("Too many new sessions from this address", body["error"]!.GetValue<string>());
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(3, Incode.CallsTo(IncodePaths.Start).Count);
    }

    [Fact]
    public async Task Shares_one_budget_between_start_and_onboarding_url()
    {
        await (await From("203.0.113.6", "/start")).JsonAsync(HttpStatusCode.OK);
        await (await From("203.0.113.6", "/onboarding-url")).JsonAsync(HttpStatusCode.OK);
        await (await From("203.0.113.6", "/start")).JsonAsync(HttpStatusCode.OK);

        await (await From("203.0.113.6", "/onboarding-url")).JsonAsync(HttpStatusCode.TooManyRequests);
        await (await From("203.0.113.7", "/onboarding-url")).JsonAsync(HttpStatusCode.OK); // another address has its own
    }

    [Fact]
    public async Task Never_limits_resuming_a_stored_session()
    {
        var started = await (await From("203.0.113.8", "/start")).JsonAsync(HttpStatusCode.OK);
        var uniqueId = started["uniqueId"]!.GetValue<string>();

        for (var i = 0; i < 10; i++) await (await From("203.0.113.8", $"/start?uniqueId={uniqueId}")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ignores_X_Forwarded_For_from_an_untrusted_peer()
    {
        for (var i = 0; i < 3; i++) await (await From("203.0.113.9", "/start", forwardedFor: $"198.51.100.{i}")).JsonAsync(HttpStatusCode.OK);

        await (await From("203.0.113.9", "/start", forwardedFor: "198.51.100.99")).JsonAsync(HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.7.42")]
    public async Task Counts_the_forwarded_client_behind_a_trusted_proxy(string proxy)
    {
        var client = proxy == "10.0.0.1" ? "198.51.100.10" : "198.51.100.11";
        for (var i = 0; i < 3; i++) await (await From(proxy, "/start", forwardedFor: client)).JsonAsync(HttpStatusCode.OK);

        await (await From(proxy, "/start", forwardedFor: client)).JsonAsync(HttpStatusCode.TooManyRequests);
        await (await From(proxy, "/start", forwardedFor: "198.51.100.12")).JsonAsync(HttpStatusCode.OK);
    }
}
