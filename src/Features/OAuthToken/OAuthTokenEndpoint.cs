using FastEndpoints;
using IncodeSlices.Features.Webhook;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Features.OAuthToken;

internal sealed class OAuthTokenEndpoint(IMediator mediator) : Endpoint<OAuthTokenRequest, OAuthTokenResponse>
{
    public override void Configure()
    {
        Post("/oauth/token");
        AllowAnonymous(); // the client's credentials are the handler's to check: they may come in the form
        RequestBinder(new OAuthTokenBinder());
        Options(route => route.OnlyFromWebhookSources().AcceptsFormBody());
        Description(b => b.ClearDefaultProduces(400)
            .Produces<OAuthErrorBody>(400, "application/json")
            .Produces<OAuthErrorBody>(401, "application/json")
            .Produces<OAuthErrorBody>(429, "application/json")
            .ProducesErrors(403, 413));
        Summary(s =>
        {
            s.Responses[400] = "invalid_request: the body is not an application/x-www-form-urlencoded form, or names a parameter twice, " +
                "or has no grant_type; unsupported_grant_type: grant_type is not client_credentials";
            s.Responses[401] = "invalid_client: no client credentials, or not those of WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET " +
                "(WWW-Authenticate: Basic)";
            s.Responses[429] = "temporarily_unavailable: too many wrong credentials from this address this minute; Retry-After says when to try again";
            s.Summary = "OAuth 2.0 client-credentials token endpoint for Incode's webhook delivery (WEBHOOK_OAUTH_CLIENT_ID)";
            s.Description = "Form body grant_type=client_credentials; the client's credentials as Basic authentication, " +
                "or as client_id and client_secret form fields. The token is sent to /webhook and /approve as Authorization: Bearer.";
        });
    }

    public override async Task HandleAsync(OAuthTokenRequest req, CancellationToken ct)
    {
        var outcome = await mediator.Send(req, ct);
        // Section 5.1: neither a token nor a refusal of one is to be cached.
        HttpContext.Response.Headers.CacheControl = "no-store";
        HttpContext.Response.Headers.Pragma = "no-cache";
        if (outcome.Token is { } token)
        {
            await Send.OkAsync(token, ct);
            return;
        }

        var refusal = outcome.Refusal!;
        if (refusal == ErrorAnswers.TokenClientInvalid) HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"IncodeSlices\"";
        if (outcome.RetryAfterSeconds > 0) HttpContext.Response.Headers.RetryAfter = outcome.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Send.ResultAsync(TypedResults.Json(new OAuthErrorBody(refusal.Error, outcome.Description), FeatureJson.Default.OAuthErrorBody, statusCode: refusal.Status));
    }
}
