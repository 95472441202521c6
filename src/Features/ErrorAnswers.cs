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
        ["413"] = "The POST body is over 64 KB",
        ["502"] = "Incode failed, or answered something this server cannot use; error names the Incode call and its status",
        ["503"] = "ADMIN_TOKEN is not configured (admin routes), or the session could not be stored (/start)",
        ["504"] = "Incode did not answer in time",
    };

    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses) route.Produces<ErrorBody>(status, "application/json");
        return route;
    }
}
