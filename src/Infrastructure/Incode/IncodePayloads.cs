using System.Text.Json.Nodes;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Incode's payloads as Incode sends them (copied from the contract's examples folder), embedded so
/// that the test stubs and anything else standing in for Incode answer from the same bytes.
/// </summary>
public static class IncodePayloads
{
    /// <summary>
    /// The payload Incode answers to each call this server makes when all goes well. The test stub
    /// and the sandbox both answer from this one table, so they cannot disagree about Incode.
    /// </summary>
    public static readonly IReadOnlyList<IncodeExchange> HappyAnswers =
    [
        new("POST", IncodePaths.Start, "omni-start.response"),
        new("GET", IncodePaths.OnboardingUrl, "onboarding-url.response"),
        new("GET", IncodePaths.OnboardingStatus, "onboarding-status.response"),
        new("GET", IncodePaths.Score, "score.onboarding.response"),
        new("POST", IncodePaths.AuthenticationVerify, "authentication-verify.response"),
        new("POST", IncodePaths.ProcessApprove, "process-approve.response"),
        new("GET", IncodePaths.FinishStatus, "finish-status.response"),
    ];

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
