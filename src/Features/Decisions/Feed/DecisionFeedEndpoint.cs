using System.Security.Cryptography;
using System.Text;
using FastEndpoints;
using IncodeSlices.Infrastructure.Errors;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions.Feed;

internal sealed class DecisionFeedEndpoint(IMediator mediator, IOptions<DecisionOptions> options) : Endpoint<DecisionFeedRequest, DecisionFeedResponse>
{
    public const string Route = "/decisions";

    private static readonly ErrorAnswer Unauthorized = new(StatusCodes.Status401Unauthorized, "Missing or wrong bearer key");

    public override void Configure()
    {
        Get(Route);
        AllowAnonymous(); // the bearer key is checked below, before the parameters, so a stranger learns nothing from a 400
        DontThrowIfValidationFails();
        // Not in the OpenAPI document, which lists the contracts' routes: this one exists only when
        // turned on, and docs/decisions.md describes it.
        Description(b => b.ExcludeFromDescription());
        Summary(s => s.Summary = "The decisions made of Incode's webhooks, oldest first (WEBHOOK_PROCESSING=durable and DECISIONS_API_KEY)");
    }

    public override async Task HandleAsync(DecisionFeedRequest req, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.IsDurable || !settings.HasFeed)
        {
            await ErrorAnswers.WriteNotFoundAsync(HttpContext); // as if the route did not exist
            return;
        }
        if (!Carries(req.Authorization, settings.ApiKey!))
        {
            HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            await ErrorAnswers.WriteAsync(HttpContext, Unauthorized);
            return;
        }
        if (ValidationFailed)
        {
            await Send.ErrorsAsync(StatusCodes.Status400BadRequest, ct);
            return;
        }
        await Send.OkAsync(await mediator.Send(req, ct), ct);
    }

    /// <summary><c>Bearer &lt;key&gt;</c>; the key compared by digest in constant time, so neither its length nor its prefix shows.</summary>
    private static bool Carries(string? authorization, string key)
    {
        const string scheme = "Bearer ";
        var sent = authorization is { Length: > 7 } && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[scheme.Length..].Trim()
            : "";
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(key))) & sent.Length > 0;
    }
}
