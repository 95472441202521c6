using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Telemetry;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.FaceAuth.Start;

internal sealed class FaceAuthStartHandler(
    IIncodeApi incode, FaceAuthSessions sessions, IOptions<IncodeOptions> incodeOptions, IOptions<FaceAuthOptions> options,
    TimeProvider clock, ServerMetrics metrics, ILogger<FaceAuthStartHandler> logger)
    : IRequestHandler<FaceAuthStartRequest, FaceAuthStartResponse>
{
    public async Task<FaceAuthStartResponse> Handle(FaceAuthStartRequest request, CancellationToken ct)
    {
        // Incode bills the session as soon as it exists: no point creating one that cannot be kept.
        if (!sessions.IsAvailable) throw new SessionStoreException("The store is unavailable");

        var flowId = string.IsNullOrWhiteSpace(options.Value.FlowId) ? incodeOptions.Value.FlowId : options.Value.FlowId;
        var started = await incode.StartSessionAsync(new IncodeStartRequest(flowId, "en-US"), ct);
        metrics.SessionCreated(FaceAuthStartEndpoint.Route); // billed from here on, whether or not it can be stored

        // Stored before it is answered: a session that verify cannot find would only ever fail.
        await sessions.SaveAsync(new FaceAuthSession(started.InterviewId, started.Token, request.ClaimedIdentity,
            FaceAuthSession.Pending, clock.GetUtcNow()), ct);

        logger.LogInformation("Started face authentication for interview {InterviewId}", started.InterviewId);
        return new FaceAuthStartResponse(started.Token, started.InterviewId);
    }
}
