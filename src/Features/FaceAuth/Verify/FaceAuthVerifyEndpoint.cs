using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.FaceAuth.Verify;

internal sealed class FaceAuthVerifyEndpoint(IMediator mediator) : Endpoint<FaceAuthVerifyRequest, FaceAuthVerifyResponse>
{
    public override void Configure()
    {
        Post("/face-auth/verify");
        AllowAnonymous();
        Description(b => b.ProducesErrors(400, 413, 502, 503, 504));
        Summary(s =>
        {
            s.Summary = "Decides whether a face authentication is genuine; each session is verified once";
            s.Description = "Checks the stored session, its token and the candidate, finishes the session at Incode and reads " +
                "its score with the stored token. Invalid answers use the same words whichever check failed.";
        });
    }

    public override async Task HandleAsync(FaceAuthVerifyRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
