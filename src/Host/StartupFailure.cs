using Microsoft.Extensions.Options;

namespace IncodeSlices.Host;

/// <summary>
/// What the server says when its configuration cannot work: one line naming every bad variable, never
/// a value (it could be the API key), and no stack trace, which would add nothing for the person
/// fixing a .env. Null for a failure that is not about configuration.
/// </summary>
internal static class StartupFailure
{
    public static string? Describe(Exception exception) =>
        Failures(exception) is { Count: > 0 } failures
            ? $"IncodeSlices cannot start. {string.Join(" ", failures.Distinct())} See sample.env."
            : null;

    private static List<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException or AggregateException)
            => [.. many.InnerExceptions.SelectMany(Failures)],
        _ => [],
    };
}
