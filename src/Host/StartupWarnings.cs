using IncodeSlices.Infrastructure.Incode;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Host;

/// <summary>Says at start-up what works only in part with this configuration.</summary>
internal sealed class StartupWarnings(IOptions<IncodeOptions> incode, ILogger<StartupWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (incode.Value.Sandbox)
            logger.LogWarning("SANDBOX MODE: Incode is not called. Every Incode answer is made up in this process, " +
                "API_URL, API_KEY, FLOW_ID and ADMIN_TOKEN are ignored, and no real session or identity is created. " +
                "Never point a real user at this server");
        if (string.IsNullOrWhiteSpace(incode.Value.AdminToken))
            logger.LogWarning("ADMIN_TOKEN is not set: /onboarding-status, /auth and /approve answer 503, and /webhook cannot fetch scores");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
