using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Names every missing or malformed variable in one message, and never a value: the message lands
/// in the start-up log, and a value there could be the API key.
/// </summary>
internal sealed class IncodeOptionsValidator : IValidateOptions<IncodeOptions>
{
    public ValidateOptionsResult Validate(string? name, IncodeOptions options)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiUrl)) missing.Add("API_URL");
        if (string.IsNullOrWhiteSpace(options.ApiKey)) missing.Add("API_KEY");
        if (string.IsNullOrWhiteSpace(options.FlowId)) missing.Add("FLOW_ID");

        var problems = new List<string>();
        if (missing.Count > 0)
            problems.Add($"Missing required configuration: {string.Join(", ", missing)}.");
        if (!string.IsNullOrWhiteSpace(options.ApiUrl) && !IsHttpUrl(options.ApiUrl))
            problems.Add("API_URL must be an absolute http or https URL.");
        if (options.TimeoutSeconds <= 0 || options.AttemptTimeoutSeconds <= 0)
            problems.Add("INCODE_TIMEOUT_SECONDS and INCODE_ATTEMPT_TIMEOUT_SECONDS must be positive.");
        if (string.IsNullOrWhiteSpace(options.AdminEmail) != string.IsNullOrWhiteSpace(options.AdminPassword))
            problems.Add("ADMIN_EMAIL and ADMIN_PASSWORD must be set together.");
        if (options.ReadRetries is < 0 or > 10)
            problems.Add("INCODE_READ_RETRIES must be between 0 and 10.");

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
