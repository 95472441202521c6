using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features;

/// <summary>
/// The native executable cannot run the OpenAPI generator; it serves src/Host/openapi.json. That file
/// must be what the endpoints generate: run with INCODESLICES_WRITE_OPENAPI=1 to rewrite it.
/// </summary>
public sealed class PublishedFeatureDocumentTests(IncodeApp app) : IClassFixture<IncodeApp>
{
    private static readonly string Kept = Path.Combine(ServerProcess.RepositoryRoot, "src", "Host", "openapi.json");

    [Fact]
    public async Task The_document_kept_for_the_native_executable_is_the_one_the_endpoints_generate()
    {
        var generated = (await (await app.Client.GetAsync("/swagger/v1/swagger.json")).JsonAsync(HttpStatusCode.OK))
            .ToJsonString(new() { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("INCODESLICES_WRITE_OPENAPI") == "1") await File.WriteAllTextAsync(Kept, generated);

        Assert.True(File.Exists(Kept), $"{Kept} is missing: run this test with INCODESLICES_WRITE_OPENAPI=1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(generated), JsonNode.Parse(await File.ReadAllTextAsync(Kept))),
            $"{Kept} is not what the endpoints generate: run this test with INCODESLICES_WRITE_OPENAPI=1");
    }
}
