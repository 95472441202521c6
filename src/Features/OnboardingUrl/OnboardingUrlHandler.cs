using IncodeSlices.Features.Decisions;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Telemetry;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.OnboardingUrl;

internal sealed class OnboardingUrlHandler(
    IIncodeApi incode, IOptions<IncodeOptions> options, RedirectionUrlRule redirections, ISessionStore sessions, SessionAccess access,
    ExternalCustomerIds externalIds, ServerMetrics metrics, SessionWatch watch, ILogger<OnboardingUrlHandler> logger)
    : IRequestHandler<OnboardingUrlRequest, OnboardingUrlResponse>
{
    public async Task<OnboardingUrlResponse> Handle(OnboardingUrlRequest request, CancellationToken ct)
    {
        if (!redirections.AllowsHostOf(request.RedirectionUrl)) throw new RequestRejectedException(RedirectionUrlRule.Refusal);

        // With callers known, the session is the user's: who owns it must be kept, or nobody could read its status.
        if (access.IsOn && !sessions.IsAvailable) throw new SessionStoreException("The store is unavailable");

        var externalId = externalIds.For(request.Caller);
        var started = await incode.StartSessionAsync(
            new IncodeStartRequest(options.Value.FlowId, "en-US", request.RedirectionUrl, externalId), ct);
        metrics.SessionCreated(OnboardingUrlEndpoint.Route);
        if (request.Caller is { } caller)
            await sessions.SaveOwnershipAsync(started.Token, new SessionOwnership(started.InterviewId, UniqueId: null, caller.User, externalId), ct);

        var onboarding = await incode.GetOnboardingUrlAsync(started.Token, ct);
        if (string.IsNullOrEmpty(onboarding.Url)) throw IncodeCallException.MissingField(IncodePaths.OnboardingUrl, "url");

        await watch.StartedAsync(started.InterviewId, ct); // durable processing reconciles it if no webhook comes
        logger.LogInformation("Created onboarding URL for interview {InterviewId}", started.InterviewId);
        return new OnboardingUrlResponse(Success: true, started.Token, started.InterviewId, onboarding.Url);
    }
}
