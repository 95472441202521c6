using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using MediatR;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Features.Auth;

internal sealed class AuthHandler(IIncodeAdminApi incode, ILogger<AuthHandler> logger)
    : IRequestHandler<AuthRequest, JsonObject>
{
    public async Task<JsonObject> Handle(AuthRequest request, CancellationToken ct)
    {
        var attempt = new IncodeAuthenticationAttempt(request.TransactionId, request.Token, request.InterviewToken);
        var verdict = await incode.VerifyAuthenticationAsync(attempt, ct);

        // The face-login frontends test verified === true; nothing of the attempt itself is logged.
        logger.LogInformation("Face login verified: {Verified}", verdict["verified"]?.ToJsonString() ?? "missing");
        return verdict;
    }
}
