using System.Globalization;
using System.Text.Json;
using IncodeSlices.Infrastructure.Errors;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Features.WebhookAccess.OAuthToken;

/// <summary>
/// A token request refused, answered in OAuth's shape (RFC 6749 section 5.2) to an OAuth client:
/// <c>{"error":"&lt;code&gt;","error_description":…}</c>, never cached, with the challenge and the wait
/// the refusal calls for.
/// </summary>
public sealed class OAuthTokenRefusedException(ErrorAnswer answer, string? description = null, int retryAfterSeconds = 0)
    : AnsweredException(answer)
{
    public override async Task WriteAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        OAuthTokenEndpoint.NoStore(headers);
        if (Answer == ErrorAnswers.TokenClientInvalid) headers.WWWAuthenticate = "Basic realm=\"IncodeSlices\"";
        if (retryAfterSeconds > 0) headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = Answer.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new OAuthErrorBody(Answer.Error, description), FeatureJson.Default.OAuthErrorBody, context.RequestAborted);
    }
}
