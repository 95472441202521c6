using System.Net;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.OnboardingUrl;

public sealed class RedirectionUrlTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    private const string Refusal = "Invalid redirectionUrl: it must be an absolute https URL (http only to localhost) of an allowed host";

    /// <summary>Ways to smuggle a different destination, a script, or a parser disagreement past the check.</summary>
    public static TheoryData<string> Hostile() =>
    [
        // not a web URL at all
        "javascript:alert(1)", "JavaScript:alert(document.cookie)", "javascript://%0aalert(1)", " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
        "file:///etc/passwd", "ftp://evil.example/", "ws://evil.example/", "wss://evil.example/", "mailto:a@evil.example",
        "blob:https://evil.example/uuid", "about:blank", "chrome://settings", "intent://evil#Intent;end",
        // relative and scheme-relative
        "//evil.example", "///evil.example", "////evil.example/", "/\\evil.example", "\\\\evil.example", "/done", "done",
        "evil.example", "https:evil.example", "https:/evil.example", "https:///evil.example",
        // credentials that make the real host the part after @
        "https://good.example@evil.example/", "https://good.example:pass@evil.example", "https://@evil.example",
        "https://user%40good.example@evil.example",
        // backslashes, which browsers read as slashes
        "https://good.example\\@evil.example", "https:\\\\evil.example", "https://evil.example\\good.example",
        // control, whitespace and invisible characters
        "https://good.example/\r\nLocation: https://evil.example", "https://good.example/\n", "https://good.\texample/",
        "https://good.example /x", "https://evil.example\u0000.good.example", "https://good.example\u200b/",
        "https://good.example/\u202e", "\u0001https://evil.example", "https://evil.example\u00a0/",
        // plain http anywhere but loopback
        "http://evil.example/", "http://shop.example.com/done", "http://10.0.0.1/", "http://localhost.evil.example/",
        "http://127.0.0.1.evil.example/", "http://[::ffff:10.0.0.1]/",
        // empty, lone scheme, absurd length
        "https://", "https:", "http://", "https://" + new string('a', 2100) + ".example/",
        "https://good.example/" + new string('x', 2100),
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Refuses_a_hostile_redirectionUrl_without_calling_Incode(string url)
    {
        var response = await App.Client.GetAsync("/onboarding-url?redirectionUrl=" + Uri.EscapeDataString(url));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, Refusal);
        Assert.Empty(App.Incode.Calls);
    }

    [Fact]
    public void Covers_at_least_fifty_hostile_forms() => Assert.True(Hostile().Count >= 50, $"only {Hostile().Count}");

    [Theory]
    [InlineData("https://shop.example.com/done?order=42#top")]
    [InlineData("https://SHOP.example.com:8443/done")]
    [InlineData("https://xn--bcher-kva.example/")]
    [InlineData("http://localhost:5173/")]
    [InlineData("http://[::1]:3000/done")]
    public async Task Accepts_an_ordinary_https_or_local_url(string url)
    {
        Incode.AnswerAll();

        var response = await App.Client.GetAsync("/onboarding-url?redirectionUrl=" + Uri.EscapeDataString(url));

        await response.JsonAsync(HttpStatusCode.OK);
    }
}

public sealed class RedirectAllowedHostsTests : AppTests<RedirectAllowedHostsTests.AllowedHostsApp>
{
    public sealed class AllowedHostsApp() : IncodeApp(new Dictionary<string, string?> { ["REDIRECT_ALLOWED_HOSTS"] = "shop.example.com, Localhost" });

    public RedirectAllowedHostsTests(AllowedHostsApp app) : base(app) => Incode.AnswerAll();

    [Theory]
    [InlineData("https://shop.example.com/done", HttpStatusCode.OK)]
    [InlineData("https://SHOP.EXAMPLE.COM/done", HttpStatusCode.OK)]
    [InlineData("http://localhost:5173/", HttpStatusCode.OK)]
    [InlineData("https://other.example.com/done", HttpStatusCode.BadRequest)]
    [InlineData("https://shop.example.com.evil.example/", HttpStatusCode.BadRequest)]
    [InlineData("https://evil.example/shop.example.com", HttpStatusCode.BadRequest)]
    [InlineData("http://127.0.0.1/", HttpStatusCode.BadRequest)]
    public async Task Narrows_redirections_to_the_allowed_hosts(string url, HttpStatusCode expected)
    {
        var response = await Client.GetAsync("/onboarding-url?redirectionUrl=" + Uri.EscapeDataString(url));

        await response.JsonAsync(expected);
    }
}
