using System.Net;
using System.Net.Http.Headers;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Tests.Features.Ownership;

/// <summary>The issuer's side over time: down at start-up, then up; its signing key rotated. Each test a server and an issuer of its own.</summary>
public sealed class CallerIssuerTests : IAsyncLifetime
{
    private readonly IncodeStub _incode = new();
    private TestIssuer _issuer = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _incode.AnswerAll(freshSessions: true);
        _issuer = await TestIssuer.CreateAsync(start: false);
        _app = TestApp.WithStub(_incode, _issuer.Settings());
    }

    private static HttpRequestMessage Start(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/start");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task With_the_issuer_down_the_server_starts_answers_503_never_401_and_is_not_ready_until_the_keys_load()
    {
        var ready = await _app.Client.GetAsync("/health/ready"); // the server is up
        var readiness = await ready.JsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("failed", readiness["checks"]!["callerAuth"]!.GetValue<string>());

        // Even a token that would be good once the keys are known: it cannot be told from a forged one yet.
        var refused = await _app.Client.SendAsync(Start(_issuer.Mint()));
        await refused.AssertErrorAsync(HttpStatusCode.ServiceUnavailable,
            "Caller authentication is unavailable: the identity provider's keys are not loaded; retry later");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Empty(_incode.Calls);

        await _issuer.StartAsync();
        var keys = _app.Services.GetRequiredService<CallerKeys>();
        await Eventually.HoldsAsync(() =>
        {
            _app.Clock.Advance(TimeSpan.FromSeconds(2)); // the loader's wait between attempts
            return keys.IsLoaded;
        }, "the issuer's keys are loaded once it answers");

        await (await _app.Client.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);
        await (await _app.Client.SendAsync(Start(await _issuer.TokenAsync("alice")))).JsonAsync(HttpStatusCode.OK);
        Assert.Single(_incode.CallsTo(IncodePaths.Start));
    }

    [Fact]
    public async Task A_new_signing_key_is_picked_up_without_a_restart()
    {
        await _issuer.StartAsync();
        var keys = _app.Services.GetRequiredService<CallerKeys>();
        _ = _app.Client;
        await Eventually.HoldsAsync(() => keys.IsLoaded, "the issuer's keys are loaded");
        await (await _app.Client.SendAsync(Start(await _issuer.TokenAsync("alice")))).JsonAsync(HttpStatusCode.OK);

        var oldKey = _issuer.Key;
        await _issuer.RotateAsync(); // the old key is no longer published; tokens are signed with a new one
        var rotated = await _issuer.TokenAsync("alice");

        // The first token with the unknown key has the server fetch the keys again (in the background).
        var statuses = new List<HttpStatusCode>();
        await Eventually.HoldsAsync(() =>
        {
            var status = _app.Client.SendAsync(Start(rotated)).GetAwaiter().GetResult().StatusCode;
            statuses.Add(status);
            return status == HttpStatusCode.OK;
        }, "a token signed with the new key is taken");
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized }));

        // The old key is gone from the issuer's set: its tokens are no longer taken.
        var old = await _app.Client.SendAsync(Start(_issuer.Mint(key: oldKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _issuer.DisposeAsync();
        _incode.Dispose();
    }
}
