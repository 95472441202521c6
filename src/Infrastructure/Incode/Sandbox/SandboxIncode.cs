using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncodeSlices.Infrastructure.Incode.Sandbox;

/// <summary>One request to the stand-in, reduced to what it answers by.</summary>
public sealed record SandboxCall(string Method, string Path, IReadOnlyDictionary<string, string> Query,
    string? ApiKey, string? HardwareId, JsonObject? Body);

public sealed record SandboxResponse(int Status, JsonObject Body);

/// <summary>
/// A stand-in for Incode that lives in this process: it answers every call the token server makes
/// from the same payload files as the test stub (<see cref="IncodePayloads.HappyAnswers"/>), with
/// fresh ids where Incode would mint them. It remembers the sessions it started, so their tokens
/// work on later calls and unknown tokens are refused as Incode refuses them. Interviews whose id
/// starts with <c>fail</c> score FAIL, and so do face logins whose transactionId does. A face
/// authentication matches the identity its session was started for (<see cref="IFaceAuthHints"/>),
/// and scores FAIL when that identity starts with <c>fail</c>.
/// </summary>
public sealed class SandboxIncode(TimeProvider clock, IFaceAuthHints? faceAuthHints = null)
{
    public const string AdminToken = "sandbox-admin-token";

    /// <summary>Every session token the sandbox makes up starts so; no real Incode token does.</summary>
    public const string TokenPrefix = "sandbox.";
    public const string FailPrefix = "fail";

    /// <summary>The ids in the example payloads, replaced by each session's own.</summary>
    private static readonly string ExampleInterviewId =
        IncodePayloads.ReadObject("omni-start.response")["interviewId"]!.GetValue<string>();

    private readonly ConcurrentDictionary<string, string> _interviewByToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _identityByInterview = new(StringComparer.Ordinal);

    public async Task<SandboxResponse> AnswerAsync(SandboxCall call, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(call.ApiKey)) return Refuse(call, 401, "Missing x-api-key");

        // The PII purge (PURGE_PII=on): Incode documents no answer shape, so the sandbox answers an empty object.
        if (call.Path == IncodePaths.Interviews && string.Equals(call.Method, "DELETE", StringComparison.OrdinalIgnoreCase))
            return IsAdmin(call) && call.Body?["filter"]?["ids"] is JsonArray { Count: > 0 }
                ? new SandboxResponse(200, [])
                : Refuse(call, IsAdmin(call) ? 400 : 401, IsAdmin(call) ? "No interview to purge" : "Unauthorized");

        var answer = IncodePayloads.HappyAnswers.FirstOrDefault(a =>
            a.Path == call.Path && string.Equals(a.Method, call.Method, StringComparison.OrdinalIgnoreCase));
        if (answer is null) return Refuse(call, 404, "No such Incode call in the sandbox");

        var body = IncodePayloads.ReadObject(answer.Payload);
        return answer.Path switch
        {
            IncodePaths.Start => Start(body),
            IncodePaths.OnboardingUrl => WithSession(call, interviewId =>
                Ok(body, "url", body["url"]!.GetValue<string>().Replace(ExampleInterviewId, interviewId, StringComparison.Ordinal))),
            IncodePaths.FinishStatus => WithSession(call, _ => new SandboxResponse(200, body)),
            IncodePaths.Score when IsAdmin(call) || IsSession(call) => await ScoreAsync(call, body, ct),
            IncodePaths.OnboardingStatus when IsAdmin(call) => new SandboxResponse(200, body),
            IncodePaths.AuthenticationVerify when IsAdmin(call) => Ok(body, "verified", !StartsWithFail(call.Body?["transactionId"])),
            IncodePaths.ProcessApprove when IsAdmin(call) => Approve(call, body),
            _ => Refuse(call, 401, "Unauthorized"),
        };
    }

    private SandboxResponse Start(JsonObject body)
    {
        var token = $"{TokenPrefix}{RandomNumberGenerator.GetHexString(40, lowercase: true)}";
        var interviewId = RandomNumberGenerator.GetHexString(24, lowercase: true);
        _interviewByToken[token] = interviewId;
        body["token"] = token;
        body["interviewId"] = interviewId;
        return new SandboxResponse(200, body);
    }

    private async Task<SandboxResponse> ScoreAsync(SandboxCall call, JsonObject body, CancellationToken ct)
    {
        if (!call.Query.TryGetValue("id", out var id)) return new SandboxResponse(200, body);
        if (faceAuthHints is not null && await faceAuthHints.IdentityOfAsync(id, ct) is { } identity)
            return new SandboxResponse(200, FaceAuthenticationScore(identity));
        return id.StartsWith(FailPrefix, StringComparison.Ordinal)
            ? new SandboxResponse(200, IncodePayloads.ReadObject("score.fail.response"))
            : new SandboxResponse(200, body);
    }

    private static JsonObject FaceAuthenticationScore(string identityId)
    {
        var score = IncodePayloads.ReadObject("score.authentication.response");
        var authentication = score["authentication"]!.AsObject();
        authentication["identityId"] = identityId;
        if (identityId.StartsWith(FailPrefix, StringComparison.Ordinal))
        {
            authentication["overall"]!["status"] = "FAIL";
            score["overall"]!["status"] = "FAIL";
        }
        return score;
    }

    private SandboxResponse Approve(SandboxCall call, JsonObject body)
    {
        if (!call.Query.TryGetValue("interviewId", out var interviewId) || interviewId.Length == 0)
            return Refuse(call, 400, "Missing interviewId");

        var existing = _identityByInterview.TryGetValue(interviewId, out _);
        var identity = _identityByInterview.GetOrAdd(interviewId, _ => RandomNumberGenerator.GetHexString(24, lowercase: true));
        body["uuid"] = identity;
        body["token"] = $"{TokenPrefix}customer.{identity}";
        body["existingCustomer"] = existing;
        return new SandboxResponse(200, body);
    }

    private SandboxResponse WithSession(SandboxCall call, Func<string, SandboxResponse> answer) =>
        call.HardwareId is { } token && _interviewByToken.TryGetValue(token, out var interviewId)
            ? answer(interviewId)
            : Refuse(call, 401, "Unauthorized");

    private bool IsSession(SandboxCall call) => call.HardwareId is { } token && _interviewByToken.ContainsKey(token);

    private static bool IsAdmin(SandboxCall call) => call.HardwareId == AdminToken;

    private static bool StartsWithFail(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().StartsWith(FailPrefix, StringComparison.Ordinal);

    private static SandboxResponse Ok(JsonObject body, string field, JsonNode? value)
    {
        body[field] = value;
        return new SandboxResponse(200, body);
    }

    /// <summary>Incode's error shape (error.response.json), as a real refusal would look.</summary>
    private SandboxResponse Refuse(SandboxCall call, int status, string error)
    {
        var body = IncodePayloads.ReadObject("error.response");
        body["timestamp"] = clock.GetUtcNow().ToUnixTimeMilliseconds();
        body["status"] = status;
        body["error"] = error;
        body["message"] = $"Sandbox: {error}.";
        body["path"] = call.Path;
        return new SandboxResponse(status, body);
    }
}
