using System.Globalization;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.OnboardingUrl;

/// <summary>
/// Which redirection URLs may be handed to Incode. Incode sends the user's browser there at the end of
/// the onboarding, so a URL of the caller's choosing is an open redirect under Incode's name unless it
/// is narrowed: only absolute https (http only to a loopback host), no credentials, no control or
/// space characters, no backslashes, and, when REDIRECT_ALLOWED_HOSTS is set, only those hosts.
/// </summary>
internal sealed class RedirectionUrlRule(IOptions<RedirectionOptions> options)
{
    internal const int MaxLength = 2048;
    internal const string Refusal = "Invalid redirectionUrl: it must be an absolute https URL (http only to localhost) of an allowed host";

    private readonly string[] _allowedHosts = (options.Value.AllowedHosts ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(h => h.ToLowerInvariant()).ToArray();

    /// <summary>The configuration-free part of the rule: what no deployment would ever accept.</summary>
    public static bool IsWellFormed(string? url)
    {
        if (url is null) return true;
        if (url.Length is 0 or > MaxLength) return false;
        // Browsers read '\' as '/' and drop tabs and newlines; .NET's parser does not, so the two could disagree.
        if (url.Any(c => c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
            return false;
        if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return false;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || HasUserInfo(url) || uri.Host.Length == 0)
            return false;
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
    }

    /// <summary>The deployment's part: the host is one of REDIRECT_ALLOWED_HOSTS, when that is set.</summary>
    public bool AllowsHostOf(string? url) =>
        url is null || _allowedHosts.Length == 0
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && _allowedHosts.Contains(uri.IdnHost.ToLowerInvariant()));

    /// <summary>Any '@' before the path, even with nothing in front of it, makes the host the part after it.</summary>
    private static bool HasUserInfo(string url)
    {
        var authority = url.AsSpan(url.IndexOf("//", StringComparison.Ordinal) + 2);
        var end = authority.IndexOfAny('/', '?', '#');
        return (end < 0 ? authority : authority[..end]).Contains('@');
    }
}
