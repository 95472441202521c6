using IncodeSlices.Features.Decisions;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Telemetry;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Start;

/// <param name="services">Where Incode's client comes from, on the path that calls Incode only: a typed HTTP
/// client is made anew each time it is resolved, which a resume (the stored session's answer) has no use for.</param>
internal sealed class StartHandler(
    IServiceProvider services, ISessionStore sessions, ExternalCustomerIds externalIds, IOptions<IncodeOptions> options, ServerMetrics metrics, SessionWatch watch,
    ILogger<StartHandler> logger)
    : IRequestHandler<StartRequest, StartResponse>
{
    public async Task<StartResponse> Handle(StartRequest request, CancellationToken ct)
    {
        if (request.ResumeId is { } resumeId) return await ResumeAsync(resumeId, request.Caller, ct);

        // Incode bills the session as soon as it exists: no point creating one that cannot be kept.
        if (!sessions.IsAvailable) throw new SessionStoreException("The store is unavailable");

        var user = request.Caller?.User; // with caller authentication on, the session is the user's
        var externalId = externalIds.For(request.Caller);
        var incode = services.GetRequiredService<IIncodeApi>();
        var started = await incode.StartSessionAsync(new IncodeStartRequest(options.Value.FlowId, "en-US", ExternalCustomerId: externalId), ct);
        metrics.SessionCreated(StartEndpoint.Route); // billed from here on, whether or not it can be stored

        // Stored before it is answered: a uniqueId the phone cannot resume is worse than an error now.
        var session = new StoredSession(started.Token, started.InterviewId, SessionIds.NewId(), user);
        await sessions.SaveAsync(session, new SessionOwnership(session.InterviewId, session.UniqueId, user, externalId), ct);
        await watch.StartedAsync(session.InterviewId, ct); // durable processing reconciles it if no webhook comes

        // The uniqueId hands out the token through /start?uniqueId= for a day: a credential, never logged whole.
        logger.LogInformation("Started a session for interview {InterviewId}", session.InterviewId);
        if (logger.IsEnabled(LogLevel.Debug)) logger.LogDebug("Session {SessionFingerprint} stored", Fingerprint.Of(session.UniqueId));
        return new StartResponse(session.Token, session.UniqueId);
    }

    /// <summary>Open to whoever holds the uniqueId (the phone has no login in the app), but not to another signed-in user.</summary>
    private async Task<StartResponse> ResumeAsync(string uniqueId, Caller? caller, CancellationToken ct)
    {
        var found = await sessions.FindAsync(uniqueId, ct);
        if (found.Session is { } stored) SessionAccess.RequireResumable(caller, stored);
        return found switch
        {
            { Status: SessionLookupStatus.Found, Session: { } session } => new StartResponse(session.Token, session.UniqueId),
            { Status: SessionLookupStatus.Corrupted } => throw new RequestRejectedException("Session data corrupted"),
            { Status: SessionLookupStatus.Finished } => throw new SessionNotFoundException("The session is finished"),
            _ => throw new RequestRejectedException("Invalid uniqueId"),
        };
    }
}
