using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Host;

/// <summary>
/// What the server says when its configuration cannot work: one line naming the variable, never a
/// value (it could be the API key), and no stack trace, which would add nothing for the person
/// fixing a .env. Null for a failure that is not about configuration.
/// </summary>
internal static partial class StartupFailure
{
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException invalid => $"IncodeSlices cannot start. {string.Join(" ", invalid.Failures)} See sample.env.",
        // A number that is not one (INCODE_TIMEOUT_SECONDS=soon, say). The binder's own sentence quotes
        // the value, which is not ours to print: only the key and the type are taken from it.
        InvalidOperationException unreadable when Unconvertible().Match(unreadable.Message) is { Success: true } match
            => $"IncodeSlices cannot start. {match.Groups["key"].Value} must be {Kind(match.Groups["type"].Value)}. See sample.env.",
        AggregateException { InnerExceptions: [var only] } => Describe(only),
        _ => null,
    };

    private static string Kind(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        _ => $"a {type}",
    };

    [GeneratedRegex(@"^Failed to convert configuration value .* at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex Unconvertible();
}
