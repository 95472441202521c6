using System.Text.Json.Nodes;
using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.Auth;

internal sealed class AuthEndpoint(IMediator mediator) : Endpoint<AuthRequest, JsonObject>
{
    public override void Configure()
    {
        Post("/auth");
        AllowAnonymous();
        Description(b => b.ProducesErrors(400, 413, 502, 503, 504));
        Summary(s => s.Summary = "Checks with Incode that a face-login attempt was not tampered with; answers Incode's JSON");
    }

    public override async Task HandleAsync(AuthRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
