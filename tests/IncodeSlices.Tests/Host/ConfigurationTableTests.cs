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

    /// <summary>
    /// docker-compose.yml passes each variable on by name (compose reads .env only to fill its own
    /// ${…}): one it leaves out would be silently ignored in the container. PORT and SESSIONS_DIR are
    /// the container's own (3000 inside, the sessions volume).
    /// </summary>
    [Fact]
    public void The_compose_file_passes_every_variable_on()
    {
        var compose = File.ReadAllText(Path.Combine(ServerProcess.RepositoryRoot, "docker-compose.yml"));
        var missing = ReadByTheCode().Where(name => name is not ("PORT" or "SESSIONS_DIR"))
            .Where(name => !compose.Contains($"      {name}: ${{{name}:-", StringComparison.Ordinal));
        Assert.Empty(missing.Order());
    }

    /// <summary>The defaults the compose file fills in for what .env leaves unset are all values the server takes (in the sandbox, which needs no Incode values).</summary>
    [Fact]
    public void The_compose_files_defaults_are_accepted()
    {
        var compose = File.ReadAllLines(Path.Combine(ServerProcess.RepositoryRoot, "docker-compose.yml"));
        var defaults = compose.Select(line => ComposeDefault().Match(line)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, string? (m) => m.Groups[2].Value);
        Assert.True(defaults.Count > 40, $"only {defaults.Count} variables found in docker-compose.yml");
        defaults["INCODE_SANDBOX"] = "true";
        defaults.Remove("ASPNETCORE_ENVIRONMENT");

        Assert.Null(StartupCheck.Refusal(defaults, environment: "Development"));
    }

    [GeneratedRegex(@"^      ([A-Z][A-Z0-9_]+): \$\{\1:-([^}]*)\}\s*$")]
    private static partial Regex ComposeDefault();

    [GeneratedRegex("`([A-Z][A-Z0-9_]+)`")]
    private static partial Regex Name();
}
