using System.Text;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// Standard error as one test's flow sees it. The server writes its start-up refusal there, from the
/// thread WebApplicationFactory runs Program on (which inherits the test's async flow); tests run side
/// by side, so each hears only what its own flow wrote, and the rest goes where it always went.
/// </summary>
public static class ErrorOutput
{
    private static readonly AsyncLocal<StringWriter?> Current = new();
    private static readonly Lazy<bool> Installed = new(() =>
    {
        Console.SetError(new Router(Console.Error));
        return true;
    });

    /// <summary>
    /// Runs <paramref name="action"/> and returns what it (and what it started) writes to standard error:
    /// what it started may go on writing after it returns. Read it with <see cref="Text"/>.
    /// </summary>
    public static StringWriter CaptureFrom(Action action)
    {
        _ = Installed.Value;
        var captured = new StringWriter();
        var outer = Current.Value;
        Current.Value = captured;
        try
        {
            action();
        }
        finally
        {
            Current.Value = outer;
        }
        return captured;
    }

    /// <summary>What has been captured so far, read while another thread may be writing.</summary>
    public static string Text(StringWriter captured)
    {
        lock (captured) return captured.ToString();
    }

    private sealed class Router(TextWriter original) : TextWriter
    {
        public override Encoding Encoding => original.Encoding;

        private TextWriter Target => (TextWriter?)Current.Value ?? original;

        public override void Write(char value) => Locked(t => t.Write(value));
        public override void Write(string? value) => Locked(t => t.Write(value));
        public override void WriteLine(string? value) => Locked(t => t.WriteLine(value));
        public override void Flush() => Target.Flush();

        private void Locked(Action<TextWriter> write)
        {
            var target = Target;
            lock (target) write(target);
        }
    }
}
