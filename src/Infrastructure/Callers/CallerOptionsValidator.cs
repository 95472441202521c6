using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Callers;

/// <summary>Names each caller setting that cannot work, never its value.</summary>
internal sealed class CallerOptionsValidator : IValidateOptions<CallerOptions>
{
    public ValidateOptionsResult Validate(string? name, CallerOptions o)
    {
        var problems = new List<string>();
        var kind = o.ExternalId.Trim().ToLowerInvariant();
        if (kind is not (CallerOptions.Hmac or CallerOptions.Raw or CallerOptions.None))
            problems.Add("CALLER_EXTERNAL_ID must be hmac, raw or none.");
        if (o.UserSessionsPerHour < 0) problems.Add("USER_SESSIONS_PER_HOUR must be 0 (no budget) or more.");
        if (!o.IsOn) return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);

        if (!Uri.TryCreate(o.Authority!.Trim(), UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            problems.Add("CALLER_JWT_AUTHORITY must be the issuer's URL, such as https://login.example.com/realm.");
        else if (authority.Scheme == "http" && o.RequireHttps)
            problems.Add("CALLER_JWT_AUTHORITY must be https:// (CALLER_JWT_REQUIRE_HTTPS=false allows http:// for development).");
        if (string.IsNullOrWhiteSpace(o.Audience)) problems.Add("CALLER_JWT_AUDIENCE is required with CALLER_JWT_AUTHORITY.");
        if (string.IsNullOrWhiteSpace(o.UserClaim)) problems.Add("CALLER_USER_CLAIM must name a claim.");
        if (kind == CallerOptions.Hmac && (o.ExternalIdKey?.Length ?? 0) < CallerOptions.MinExternalIdKeyLength)
            problems.Add($"CALLER_EXTERNAL_ID_KEY must be at least {CallerOptions.MinExternalIdKeyLength} characters with CALLER_EXTERNAL_ID=hmac " +
                "(or set CALLER_EXTERNAL_ID=none or raw).");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
