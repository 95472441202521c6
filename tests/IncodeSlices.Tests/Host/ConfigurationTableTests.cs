using System.Reflection;
using System.Text.RegularExpressions;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// docs/configuration.md's table against the code: it lists every variable an options class reads,
/// and none that nothing reads (OpenTelemetry's own OTEL_* variables aside, which its SDK reads).
/// </summary>
public sealed partial class ConfigurationTableTests
{
    private static readonly Assembly[] Server =
    [
        typeof(Program).Assembly,
        typeof(IncodeSlices.Features.FeatureRegistration).Assembly,
        typeof(IncodeSlices.Infrastructure.Settings.SettingsRegistration).Assembly,
    ];

    private static HashSet<string> ReadByTheCode() =>
        Server.SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(property => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
            .OfType<string>()
            .ToHashSet();

    private static HashSet<string> InTheTable()
    {
        var page = File.ReadAllLines(Path.Combine(ServerProcess.RepositoryRoot, "docs", "configuration.md"));
        return page.Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => Name().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToHashSet();
    }

    [Fact]
    public void Lists_every_variable_the_code_reads()
    {
        var read = ReadByTheCode();
        Assert.Contains("API_KEY", read); // the reflection finds them at all
        Assert.Empty(read.Except(InTheTable()).Order());
    }

    [Fact]
    public void Lists_no_variable_that_nothing_reads()
    {
        var extra = InTheTable().Except(ReadByTheCode()).Where(name => !name.StartsWith("OTEL_", StringComparison.Ordinal));
        Assert.Empty(extra.Order());
    }

    [GeneratedRegex("`([A-Z][A-Z0-9_]+)`")]
    private static partial Regex Name();
}
