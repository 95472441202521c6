using IncodeSlices.Infrastructure.Errors;
using MediatR;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Features.WebhookAccess.OAuthToken;

/// <summary>
/// Issues a webhook token to the configured client (RFC 6749 section 4.4). The checks go in the
/// order the RFC's errors suggest: a request that is not a form, then the client, then the grant.
/// Without WEBHOOK_OAUTH_CLIENT_ID and _SECRET there is no client, and every request is invalid_client.
/// </summary>
internal sealed class OAuthTokenHandler(WebhookTokens tokens, TokenRequestFailures failures, ILogger<OAuthTokenHandler> logger)
    : IRequestHandler<OAuthTokenRequest, OAuthTokenResponse>
{
    public const string ClientCredentials = "client_credentials";

    public Task<OAuthTokenResponse> Handle(OAuthTokenRequest request, CancellationToken ct) => Task.FromResult(Issue(request));

    private OAuthTokenResponse Issue(OAuthTokenRequest request)
    {
        if (failures.HoldBack(request.ClientAddress) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            throw new OAuthTokenRefusedException(ErrorAnswers.TokenRequestsTooMany, ErrorAnswers.TokenRequestsTooManyDescription(seconds), seconds);
        }
        if (!request.IsForm) throw new OAuthTokenRefusedException(ErrorAnswers.TokenRequestInvalid);
        if (!tokens.IsClient(request.ClientId, request.ClientSecret))
        {
            failures.Count(request.ClientAddress);
            logger.LogWarning("Token request from {ClientAddress} refused: unknown client or wrong secret", request.ClientAddress);
            throw new OAuthTokenRefusedException(ErrorAnswers.TokenClientInvalid);
        }
        if (string.IsNullOrEmpty(request.GrantType)) throw new OAuthTokenRefusedException(ErrorAnswers.TokenRequestInvalid);
        if (request.GrantType != ClientCredentials) throw new OAuthTokenRefusedException(ErrorAnswers.TokenGrantUnsupported);

        return new OAuthTokenResponse(tokens.Issue(), "Bearer", (int)tokens.Lifetime.TotalSeconds);
    }
}
