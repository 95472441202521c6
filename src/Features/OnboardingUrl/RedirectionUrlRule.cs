using System.Globalization;

namespace IncodeSlices.Features.OnboardingUrl;

/// <summary>
/// Which redirection URLs may be handed to Incode. Incode sends the user's browser there at the end of
/// the onboarding, so a URL of the caller's choosing is an open redirect under Incode's name unless it
/// is narrowed: only absolute https (http only to a loopback host), no credentials, no control or
/// space characters, no backslashes, and, when REDIRECT_ALLOWED_HOSTS is set, only those hosts.
/// </summary>
internal sealed class RedirectionUrlRule(IReadOnlyCollection<string> allowedHosts)
{
    internal const int MaxLength = 2048;

    public static RedirectionUrlRule FromSetting(string? hosts) =>
        new((hosts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => h.ToLowerInvariant()).ToArray());

    public bool Allows(string? url)
    {
        if (url is null) return true;
        if (url.Length is 0 or > MaxLength) return false;
        // Browsers read '\' as '/' and drop tabs and newlines; .NET's parser does not, so the two could disagree.
        if (url.Any(c => c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
            return false;
        if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return false;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo) || uri.Host.Length == 0)
            return false;

        var host = uri.IdnHost.ToLowerInvariant();
        var schemeOk = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
        return schemeOk && (allowedHosts.Count == 0 || allowedHosts.Contains(host));
    }
}
