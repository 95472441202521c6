using FastEndpoints;
using IncodeSlices.Infrastructure.SessionBudget;
using MediatR;

namespace IncodeSlices.Features.FaceAuth.Start;

internal sealed class FaceAuthStartEndpoint(IMediator mediator) : Endpoint<FaceAuthStartRequest, FaceAuthStartResponse>
{
    public const string Route = "/face-auth/start";

    public override void Configure()
    {
        Post(Route);
        AllowAnonymous();
        Options(route => route.RequireSessionBudget()); // each new session is billed, as on /start
        Description(b => b.ProducesErrors(400, 413, 429, 502, 503, 504));
        Summary(s =>
        {
            s.Summary = "Starts a face authentication for the identity the user claims; answers the session for renderAuthFace";
            s.Description = "Creates a billable Incode session in FACE_AUTH_FLOW_ID (else FLOW_ID) and stores it as pending " +
                "under its interviewId for FACE_AUTH_TTL_MINUTES, before answering {token, interviewId}.";
        });
    }

    public override async Task HandleAsync(FaceAuthStartRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
