using IncodeSlices.Infrastructure.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Features;

/// <summary>The error answers a route can give, for the OpenAPI document; all in the contract's one shape.</summary>
internal static class ErrorAnswers
{
    public static readonly IReadOnlyDictionary<string, string> Meanings = new Dictionary<string, string>
    {
        ["400"] = "The request cannot be served: a missing or invalid value, or a POST body that is not a JSON object",
        ["401"] = "WEBHOOK_SECRET is set and the delivery did not carry it (webhook routes)",
        ["413"] = "The POST body is over 64 KB",
        ["429"] = "This address created too many new Incode sessions this minute; Retry-After says when to try again",
        ["502"] = "Incode failed, or answered something this server cannot use; error names the Incode call and its status",
        ["503"] = "No admin token (admin routes), the store is unavailable, or an approval of the same interview is in progress",
        ["504"] = "Incode did not answer in time",
    };

    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses) route.Produces<ErrorBody>(status, "application/json");
        return route;
    }
}
