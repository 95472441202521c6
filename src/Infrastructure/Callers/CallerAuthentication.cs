using System.Globalization;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.SessionBudget;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IncodeSlices.Infrastructure.Callers;

/// <summary>
/// Runs ASP.NET Core's JWT bearer handler for the routes that joined with <see cref="RequireCaller"/>,
/// and only for them: no other route authenticates anything (nothing is registered as the default
/// scheme). A request it lets through carries its <see cref="Caller"/>; one it refuses never reaches
/// the route, so Incode is not called: 401 without a valid token, 503 while the issuer's keys are not
/// loaded (a token cannot be checked: never a 401 for the issuer being down), 429 over the user's budget.
/// </summary>
public static class CallerAuthentication
{
    public const string Scheme = "caller";

    /// <summary>The route needs a caller when CALLER_JWT_AUTHORITY is set (nothing changes while it is not).</summary>
    public static TBuilder RequireCaller<TBuilder>(this TBuilder route, CallerNeed need) where TBuilder : IEndpointConventionBuilder
    {
        route.Add(endpoint => endpoint.Metadata.Add(new CallerRequirement(need)));
        return route;
    }

    /// <summary>After routing (it reads the endpoint), before the per-address budget (a refused caller spends none of it).</summary>
    public static IApplicationBuilder UseCallerAuthentication(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetService(typeof(IOptions<CallerOptions>)) as IOptions<CallerOptions>;
        return options?.Value.IsOn == true ? app.UseMiddleware<Middleware>() : app;
    }

    internal sealed class Middleware(RequestDelegate next, CallerKeys keys, UserSessionBudget budget, IOptions<CallerOptions> options,
        ILogger<Middleware> logger)
    {
        private readonly CallerOptions _options = options.Value;

        public async Task InvokeAsync(HttpContext context)
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<CallerRequirement>() is not { } requirement)
            {
                await next(context);
                return;
            }

            var resumes = requirement.Need == CallerNeed.NewOrResumedSession && Resumes(context.Request);
            if (resumes && !context.Request.Headers.ContainsKey(HeaderNames.Authorization))
            {
                await next(context); // the phone that scanned the QR code: the uniqueId is its capability
                return;
            }

            if (!keys.IsLoaded)
            {
                context.Response.Headers.RetryAfter = "5";
                await ErrorAnswers.WriteAsync(context, ErrorAnswers.CallerAuthUnavailable);
                return;
            }

            var result = await context.AuthenticateAsync(Scheme);
            var user = result.Principal?.FindFirst(_options.UserClaim)?.Value;
            if (!result.Succeeded || string.IsNullOrEmpty(user))
            {
                // The failure's type says why (expired, bad signature, wrong audience…); the token itself is never logged.
                logger.LogInformation("Caller refused on {Path}: {Reason}", context.Request.Path.Value,
                    result.None ? "no bearer token" : result.Failure is { } failure ? failure.GetType().Name : $"no {_options.UserClaim} claim");
                context.Response.Headers.WWWAuthenticate = result.None ? "Bearer" : "Bearer error=\"invalid_token\"";
                await ErrorAnswers.WriteAsync(context, ErrorAnswers.CallerUnauthorized);
                return;
            }

            var caller = new Caller(user, HasScope(result.Principal!, _options.AdminScope));
            context.Features.Set(caller);
            context.User = result.Principal!;

            if (requirement.Need != CallerNeed.OwnedSession && !resumes && await budget.TryTakeAsync(user, context.RequestAborted) is { } wait)
            {
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ErrorAnswers.WriteAsync(context, ErrorAnswers.TooManyUserSessions(seconds));
                return;
            }
            await next(context);
        }

        private static bool Resumes(HttpRequest request) =>
            !string.IsNullOrEmpty(request.Query["uniqueId"]) || !string.IsNullOrEmpty(request.Query["uuid"]);

        /// <summary>OAuth's <c>scope</c> (space-separated, possibly several claims) or Entra ID's <c>scp</c>.</summary>
        private static bool HasScope(System.Security.Claims.ClaimsPrincipal principal, string scope) =>
            !string.IsNullOrEmpty(scope) && principal.Claims
                .Where(c => c.Type is "scope" or "scp")
                .Any(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));
    }
}
