using System.Text.Json.Nodes;
using FastEndpoints;
using MediatR;
using Microsoft.AspNetCore.Builder;

namespace IncodeSlices.Features.Auth;

internal sealed class AuthEndpoint(IMediator mediator) : Endpoint<AuthRequest, JsonObject>
{
    internal const string Deprecation =
        "Deprecated. Incode's legacy 1:1 face login, which this route serves, reached End of Support on 2026-10-01 and " +
        "reaches End of Life on 2027-04-01. Use Face Authentication instead: POST /face-auth/start, then POST /face-auth/verify.";

    public override void Configure()
    {
        Post("/auth");
        AllowAnonymous();
        // Incode's 1:1 face login (renderLogin + /omni/authentication/verify) is being retired; the route
        // keeps its contract for existing integrations until then, and the document says what replaces it.
        Description(b => b.ProducesErrors(400, 413, 502, 503, 504).WithMetadata(new ObsoleteAttribute(Deprecation)));
        Summary(s =>
        {
            s.Summary = "Deprecated: checks with Incode that a legacy face-login attempt was not tampered with; answers Incode's JSON";
            s.Description = Deprecation;
        });
    }

    public override async Task HandleAsync(AuthRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
