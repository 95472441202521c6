using System.Text.Json.Serialization.Metadata;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Json;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Infrastructure.Errors;

/// <summary>
/// The one place that decides what each failure answers: its status and its words. Validators own
/// the words of their own refusals (a 400 each); everything else is here.
/// </summary>
public static class ErrorAnswers
{
    public static readonly ErrorAnswer InvalidJsonBody = new(StatusCodes.Status400BadRequest, "Invalid JSON body");
    public static readonly ErrorAnswer BodyTooLarge = new(StatusCodes.Status413PayloadTooLarge, "Request body is larger than 64 KB");
    public static readonly ErrorAnswer Forbidden = new(StatusCodes.Status403Forbidden, "Forbidden");

    /// <summary>A webhook delivery without the credentials this server is configured to take: the words name those.</summary>
    public static ErrorAnswer WebhookUnauthorized(bool secret, bool token) => new(StatusCodes.Status401Unauthorized, (secret, token) switch
    {
        (true, true) => "Missing or wrong webhook secret or bearer token",
        (false, true) => "Missing or invalid bearer token",
        _ => "Missing or wrong webhook secret",
    });

    // The token endpoint answers in OAuth's shape, {"error":"<code>"} (RFC 6749 section 5.2), because
    // its caller is an OAuth client (Incode's webhook delivery), not a frontend.
    public static readonly ErrorAnswer TokenRequestInvalid = new(StatusCodes.Status400BadRequest, "invalid_request");
    public static readonly ErrorAnswer TokenClientInvalid = new(StatusCodes.Status401Unauthorized, "invalid_client");
    public static readonly ErrorAnswer TokenGrantUnsupported = new(StatusCodes.Status400BadRequest, "unsupported_grant_type");
    public static readonly ErrorAnswer TokenRequestsTooMany = new(StatusCodes.Status429TooManyRequests, "temporarily_unavailable");

    public static string TokenRequestsTooManyDescription(int retryAfterSeconds) =>
        $"Too many failed token requests from this address; try again in {retryAfterSeconds} seconds";

    public static ErrorAnswer TooManySessions(int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, $"Too many new sessions from this address; try again in {retryAfterSeconds} seconds");

    /// <summary>What a request that failed with <paramref name="exception"/> answers; a 500 only for what nobody foresaw.</summary>
    public static ErrorAnswer For(Exception exception)
    {
        if (IncodeCallException.Find(exception) is { } incode) return ForIncode(incode);
        foreach (var e in ExceptionChain.Of(exception))
        {
            switch (e)
            {
                case AdminTokenUnavailableException { Problem: AdminTokenProblem.NotConfigured }:
                    return new(StatusCodes.Status503ServiceUnavailable, "ADMIN_TOKEN is not configured");
                case AdminTokenUnavailableException:
                    return new(StatusCodes.Status503ServiceUnavailable, "Incode admin login failed");
                case RequestRejectedException rejected:
                    return new(StatusCodes.Status400BadRequest, rejected.Message);
                case TryAgainLaterException busy:
                    return new(StatusCodes.Status503ServiceUnavailable, busy.Message);
                case SessionStoreException:
                    return new(StatusCodes.Status503ServiceUnavailable, "Session could not be stored");
                case RecordStoreUnavailableException:
                    return new(StatusCodes.Status503ServiceUnavailable, "Storage is unavailable; retry later");
                case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                    return BodyTooLarge;
                case BadHttpRequestException bad:
                    return new(bad.StatusCode, "Bad request");
            }
        }
        return new(StatusCodes.Status500InternalServerError, "Internal server error");
    }

    /// <summary>A 502 or 504 naming the call by its path and saying how it failed, never quoting Incode's body.</summary>
    public static ErrorAnswer ForIncode(IncodeCallException incode) => incode.Failure switch
    {
        IncodeFailure.Timeout => new(StatusCodes.Status504GatewayTimeout, $"Incode {incode.Call} did not answer in time"),
        IncodeFailure.Status => new(StatusCodes.Status502BadGateway, $"Incode {incode.Call} failed with status {incode.Status}"),
        IncodeFailure.MissingField => new(StatusCodes.Status502BadGateway, $"Incode {incode.Call} answered without {incode.Field}"),
        IncodeFailure.TooLarge => new(StatusCodes.Status502BadGateway, $"Incode {incode.Call} answered with a body over 1 MB"),
        IncodeFailure.Unreachable => new(StatusCodes.Status502BadGateway, $"Incode {incode.Call} could not be reached"),
        _ => new(StatusCodes.Status502BadGateway, $"Incode {incode.Call} answered with a body that is not the JSON expected"),
    };

    /// <summary>Writes an error answer from middleware, where no endpoint is there to send it.</summary>
    public static Task WriteAsync(HttpContext context, ErrorAnswer answer) =>
        WriteJsonAsync(context, answer.Status, ErrorBody.Of(answer.Error), InfrastructureJson.Default.ErrorBody);

    /// <summary>
    /// An unknown route or method answers as Express does in the Node sample,
    /// <c>404 {"error":"Cannot GET /nope?x=1"}</c>: the one answer outside the error shape.
    /// </summary>
    public static Task WriteNotFoundAsync(HttpContext context)
    {
        var request = context.Request;
        return WriteJsonAsync(context, StatusCodes.Status404NotFound,
            new NotFoundBody($"Cannot {request.Method} {request.PathBase}{request.Path}{request.QueryString}"), InfrastructureJson.Default.NotFoundBody);
    }

    internal sealed record NotFoundBody(string Error);

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, T body, JsonTypeInfo<T> json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, body, json, context.RequestAborted);
    }
}
