using Serilog.Core;
using Serilog.Events;

namespace IncodeSlices.Host;

/// <summary>
/// Callers choose some of what is logged (an interviewId from a query or a webhook, a path). Written as
/// they are, CR/LF would start a console line of the caller's making, and escape sequences would act on
/// the terminal; they are logged escaped (<c>\u000a</c>) instead.
/// </summary>
internal sealed class EscapedControlCharacters : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
            if (value is ScalarValue { Value: string text } && text.AsSpan().ContainsAny(ControlCharacters))
                (escaped ??= []).Add(new LogEventProperty(name, new ScalarValue(Escape(text))));
        if (escaped is null) return;
        foreach (var property in escaped) logEvent.AddOrUpdateProperty(property);
    }

    /// <summary>What <see cref="char.IsControl(char)"/> calls control: C0, DEL and C1.</summary>
    private static readonly System.Buffers.SearchValues<char> ControlCharacters =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7f, 0x21)).Select(c => (char)c)]);

    private static string Escape(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
