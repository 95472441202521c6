using System.Text.Json.Nodes;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Incode's payloads as Incode sends them (copied from the contract's examples folder), embedded so
/// that the test stubs and anything else standing in for Incode answer from the same bytes.
/// </summary>
public static class IncodePayloads
{
    public static string Read(string name)
    {
        var resource = $"{typeof(IncodePayloads).Namespace}.Payloads.{name}.json";
        using var stream = typeof(IncodePayloads).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"No Incode payload named {name}", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static JsonObject ReadObject(string name) => JsonNode.Parse(Read(name))!.AsObject();
}
