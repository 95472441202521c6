using IncodeSlices.Features.Decisions;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Telemetry;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.OnboardingUrl;

internal sealed class OnboardingUrlHandler(
    IIncodeApi incode, IOptions<IncodeOptions> options, RedirectionUrlRule redirections, ServerMetrics metrics, SessionWatch watch,
    ILogger<OnboardingUrlHandler> logger)
    : IRequestHandler<OnboardingUrlRequest, OnboardingUrlResponse>
{
    public async Task<OnboardingUrlResponse> Handle(OnboardingUrlRequest request, CancellationToken ct)
    {
        if (!redirections.AllowsHostOf(request.RedirectionUrl)) throw new RequestRejectedException(RedirectionUrlRule.Refusal);

        var started = await incode.StartSessionAsync(
            new IncodeStartRequest(options.Value.FlowId, "en-US", request.RedirectionUrl), ct);
        metrics.SessionCreated(OnboardingUrlEndpoint.Route);

        var onboarding = await incode.GetOnboardingUrlAsync(started.Token, ct);
        if (string.IsNullOrEmpty(onboarding.Url)) throw IncodeCallException.MissingField(IncodePaths.OnboardingUrl, "url");

        await watch.StartedAsync(started.InterviewId, ct); // durable processing reconciles it if no webhook comes
        logger.LogInformation("Created onboarding URL for interview {InterviewId}", started.InterviewId);
        return new OnboardingUrlResponse(Success: true, started.Token, started.InterviewId, onboarding.Url);
    }
}
