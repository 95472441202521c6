using System.Text.Json.Serialization.Metadata;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Json;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Infrastructure.Errors;

/// <summary>
/// Every error answer of the routes, defined once: its status and the words the caller sees. A failure
/// carries its answer (<see cref="AnsweredException"/>); validators own the words of their own 400s.
/// The OpenAPI document describes each status with the answers listed here.
/// </summary>
public static class ErrorAnswers
{
    public static readonly ErrorAnswer InvalidJsonBody = new(StatusCodes.Status400BadRequest, "Invalid JSON body");
    public static readonly ErrorAnswer BodyTooLarge = new(StatusCodes.Status413PayloadTooLarge, "Request body is larger than 64 KB");
    public static readonly ErrorAnswer Forbidden = new(StatusCodes.Status403Forbidden, "Forbidden");
    public static readonly ErrorAnswer BadRequest = new(StatusCodes.Status400BadRequest, "Bad request");
    public static readonly ErrorAnswer Unexpected = new(StatusCodes.Status500InternalServerError, "Internal server error");

    public static readonly ErrorAnswer SessionNotStored = new(StatusCodes.Status503ServiceUnavailable, "Session could not be stored");
    public static readonly ErrorAnswer StoreUnavailable = new(StatusCodes.Status503ServiceUnavailable, "Storage is unavailable; retry later");
    public static readonly ErrorAnswer AdminTokenNotConfigured = new(StatusCodes.Status503ServiceUnavailable, "ADMIN_TOKEN is not configured");
    public static readonly ErrorAnswer AdminLoginFailed = new(StatusCodes.Status503ServiceUnavailable, "Incode admin login failed");
    public static readonly ErrorAnswer SessionNotFound = new(StatusCodes.Status404NotFound, "Session not found");
    public static readonly ErrorAnswer CallerUnauthorized = new(StatusCodes.Status401Unauthorized, "Unauthorized");
    public static readonly ErrorAnswer CallerAuthUnavailable =
        new(StatusCodes.Status503ServiceUnavailable, "Caller authentication is unavailable: the identity provider's keys are not loaded; retry later");
    public static readonly ErrorAnswer ApprovalInProgress =
        new(StatusCodes.Status503ServiceUnavailable, "Approval of this interview is already in progress; retry later");

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

    public static ErrorAnswer TooManyUserSessions(int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, $"Too many new sessions for this user; try again in {retryAfterSeconds} seconds");

    /// <summary>What a handler found wrong with the request: a 400 in its words.</summary>
    public static ErrorAnswer Rejected(string reason) => new(StatusCodes.Status400BadRequest, reason);

    /// <summary>A 502 or 504 naming the call by its path and saying how it failed, never quoting Incode's body.</summary>
    public static ErrorAnswer IncodeFailed(string call, IncodeFailure failure, int? status, string? field) => failure switch
    {
        IncodeFailure.Timeout => new(StatusCodes.Status504GatewayTimeout, $"Incode {call} did not answer in time"),
        IncodeFailure.Status => new(StatusCodes.Status502BadGateway, $"Incode {call} failed with status {status}"),
        IncodeFailure.MissingField => new(StatusCodes.Status502BadGateway, $"Incode {call} answered without {field}"),
        IncodeFailure.TooLarge => new(StatusCodes.Status502BadGateway, $"Incode {call} answered with a body over 1 MB"),
        IncodeFailure.Unreachable => new(StatusCodes.Status502BadGateway, $"Incode {call} could not be reached"),
        _ => new(StatusCodes.Status502BadGateway, $"Incode {call} answered with a body that is not the JSON expected"),
    };

    /// <summary>
    /// Every answer in the error shape, with a placeholder where its words name a call, a value or a
    /// number of seconds: what the OpenAPI document lists under each status.
    /// </summary>
    public static IEnumerable<ErrorAnswer> Documented()
    {
        yield return InvalidJsonBody;
        yield return Rejected("<what is missing or invalid>");
        yield return WebhookUnauthorized(secret: true, token: true);
        yield return CallerUnauthorized;
        yield return SessionNotFound;
        yield return CallerAuthUnavailable;
        yield return TooManyUserSessions(60) with { Error = "Too many new sessions for this user; try again in <seconds> seconds" };
        yield return Forbidden;
        yield return BodyTooLarge;
        yield return TooManySessions(60) with { Error = "Too many new sessions from this address; try again in <seconds> seconds" };
        foreach (var failure in Enum.GetValues<IncodeFailure>()) yield return IncodeFailed("<call>", failure, status: 500, field: "<field>");
        yield return SessionNotStored;
        yield return StoreUnavailable;
        yield return AdminTokenNotConfigured;
        yield return AdminLoginFailed;
        yield return ApprovalInProgress;
    }

    /// <summary>The failure in <paramref name="exception"/>'s chain that carries its answer, if any.</summary>
    public static AnsweredException? Find(Exception exception) =>
        IncodeCallException.Find(exception) ?? ExceptionChain.Of(exception).OfType<AnsweredException>().FirstOrDefault();

    /// <summary>What a request that failed with <paramref name="exception"/> answers; a 500 only for what nobody foresaw.</summary>
    public static ErrorAnswer For(Exception exception)
    {
        if (Find(exception) is { } answered) return answered.Answer; // Refit's own exceptions are read as Incode failures
        foreach (var e in ExceptionChain.Of(exception))
        {
            switch (e)
            {
                case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                    return BodyTooLarge;
                case BadHttpRequestException bad:
                    return bad.StatusCode == StatusCodes.Status400BadRequest ? BadRequest : new(bad.StatusCode, BadRequest.Error);
            }
        }
        return Unexpected;
    }


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
