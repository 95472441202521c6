using System.Text.RegularExpressions;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features;

/// <summary>
/// The dependency rule of the slices, read from the sources: a slice imports its area and shared
/// infrastructure, never a sibling slice; Host imports areas, never a slice. A slice is a folder with
/// an endpoint in it; an area is a folder of slices, whose own files the slices below it share.
/// </summary>
public sealed partial class SliceBoundaryTests
{
    private static readonly string Features = Path.Combine(ServerProcess.RepositoryRoot, "src", "Features");

    private static readonly HashSet<string> Slices = Directory
        .EnumerateFiles(Features, "*Endpoint.cs", SearchOption.AllDirectories)
        .Select(file => Namespace(Path.GetDirectoryName(file)!))
        .ToHashSet();

    private static string Namespace(string folder) =>
        "IncodeSlices.Features" + string.Concat(Path.GetRelativePath(Features, folder).Split(Path.DirectorySeparatorChar)
            .Where(part => part != ".").Select(part => "." + part));

    private static IEnumerable<string> Imports(string file) =>
        File.ReadLines(file).Select(line => Using().Match(line)).Where(m => m.Success).Select(m => m.Groups["ns"].Value);

    [Fact]
    public void Finds_the_slices_of_the_design_and_of_the_areas()
    {
        foreach (var slice in new[] { "Start", "OnboardingUrl", "OnboardingStatus", "FetchScore", "Auth", "Webhook", "Approve", "Finish", "FaceAuth.Start", "FaceAuth.Verify", "WebhookAccess.OAuthToken" })
            Assert.Contains($"IncodeSlices.Features.{slice}", Slices);
    }

    [Fact]
    public void No_slice_imports_another_slice()
    {
        var crossings =
            from file in Directory.EnumerateFiles(Features, "*.cs", SearchOption.AllDirectories)
            where !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
            let own = Namespace(Path.GetDirectoryName(file)!)
            where Slices.Contains(own)
            from import in Imports(file)
            where Slices.Contains(import) && import != own
            select $"{Path.GetRelativePath(Features, file)} imports {import}";

        Assert.Empty(crossings);
    }

    [Fact]
    public void Host_imports_no_slice()
    {
        var host = Path.Combine(ServerProcess.RepositoryRoot, "src", "Host");
        var crossings =
            from file in Directory.EnumerateFiles(host, "*.cs", SearchOption.AllDirectories)
            from import in Imports(file)
            where Slices.Contains(import)
            select $"{Path.GetFileName(file)} imports {import}";

        Assert.Empty(crossings);
    }

    [GeneratedRegex(@"^using (?<ns>IncodeSlices\.Features[\w.]*);")]
    private static partial Regex Using();
}
