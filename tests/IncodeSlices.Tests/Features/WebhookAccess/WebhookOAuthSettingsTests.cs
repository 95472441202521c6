using IncodeSlices.Features.WebhookAccess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Tests.Features.WebhookAccess;

/// <summary>
/// WEBHOOK_OAUTH_* that cannot work, each refused with its one line. Program prints those lines and stops
/// (Host/ConfigurationTests shows one, in a real process); here they are read from the options themselves.
/// </summary>
public sealed class WebhookOAuthSettingsTests
{
    [Theory]
    [InlineData("WEBHOOK_OAUTH_CLIENT_ID=incode", "WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET must be set together.")]
    [InlineData("WEBHOOK_OAUTH_CLIENT_SECRET=0123456789abcdef", "WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET must be set together.")]
    [InlineData("WEBHOOK_OAUTH_CLIENT_ID=incode;WEBHOOK_OAUTH_CLIENT_SECRET=0123456789abcde", "WEBHOOK_OAUTH_CLIENT_SECRET must be at least 16 characters.")]
    [InlineData("WEBHOOK_OAUTH_SIGNING_KEY=0123456789abcdef0123456789abcdef",
        "WEBHOOK_OAUTH_SIGNING_KEY needs WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET.")]
    [InlineData("WEBHOOK_OAUTH_CLIENT_ID=incode;WEBHOOK_OAUTH_CLIENT_SECRET=0123456789abcdef;WEBHOOK_OAUTH_SIGNING_KEY=0123456789abcdef0123456789abcde",
        "WEBHOOK_OAUTH_SIGNING_KEY must be at least 32 characters.")]
    [InlineData("WEBHOOK_OAUTH_TOKEN_MINUTES=0", "WEBHOOK_OAUTH_TOKEN_MINUTES must be from 1 to 1440.")]
    [InlineData("WEBHOOK_OAUTH_TOKEN_MINUTES=1441", "WEBHOOK_OAUTH_TOKEN_MINUTES must be from 1 to 1440.")]
    public void Refuses_settings_that_cannot_work_with_one_line_naming_them(string settings, string message)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Read(settings));

        Assert.Equal([message], refused.Failures);
    }

    [Theory]
    [InlineData("")]
    [InlineData("WEBHOOK_OAUTH_CLIENT_ID=incode;WEBHOOK_OAUTH_CLIENT_SECRET=0123456789abcdef")]
    [InlineData("WEBHOOK_OAUTH_CLIENT_ID=incode;WEBHOOK_OAUTH_CLIENT_SECRET=0123456789abcdef;WEBHOOK_OAUTH_SIGNING_KEY=0123456789abcdef0123456789abcdef;WEBHOOK_OAUTH_TOKEN_MINUTES=1440")]
    public void Takes_settings_that_work(string settings) => Read(settings);

    private static WebhookOAuthOptions Read(string settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2)).Select(kv => new KeyValuePair<string, string?>(kv[0], kv[1])))
            .Build();
        var services = new ServiceCollection();
        WebhookOAuthOptions.Validate(services.AddOptions<WebhookOAuthOptions>().Bind(configuration));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WebhookOAuthOptions>>().Value;
    }
}
