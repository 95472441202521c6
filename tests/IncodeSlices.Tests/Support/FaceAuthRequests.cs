using System.Net;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Tests.Support;

/// <summary>A face-auth session as /face-auth/start answers it.</summary>
public sealed record StartedFaceAuth(string Token, string InterviewId);

/// <summary>The two face-auth routes as a frontend calls them, and Incode's answers to a face authentication.</summary>
public static class FaceAuthRequests
{
    /// <summary>The identity Incode matched in the example score (<c>authentication.identityId</c>).</summary>
    public const string Identity = "68c851bedd5176f7d8bf4758";

    /// <summary>Incode answering a face authentication that goes well: a new session each start, finish-status, the authentication score.</summary>
    public static IncodeStub AnswerFaceAuth(this IncodeStub incode) => incode.AnswerFreshSessions()
        .AnswerPayload("GET", IncodePaths.FinishStatus, "finish-status.response")
        .AnswerPayload("GET", IncodePaths.Score, "score.authentication.response");

    /// <summary>The authentication score with its matched identity and overall status changed.</summary>
    public static string Score(string identityId = Identity, string status = "OK")
    {
        var score = IncodePayloads.ReadObject("score.authentication.response");
        score["authentication"]!["identityId"] = identityId;
        score["overall"]!["status"] = status;
        return score.ToJsonString();
    }

    public static HttpRequestMessage Start(string identityId = Identity) =>
        Requests.PostText("/face-auth/start", new JsonObject { ["identityId"] = identityId }.ToJsonString());

    public static async Task<StartedFaceAuth> StartAsync(this HttpClient client, string identityId = Identity)
    {
        var body = await (await client.SendAsync(Start(identityId))).JsonAsync(HttpStatusCode.OK);
        return new StartedFaceAuth(body["token"]!.GetValue<string>(), body["interviewId"]!.GetValue<string>());
    }

    public static HttpRequestMessage Verify(string interviewId, string token, string candidate = Identity) =>
        Requests.PostText("/face-auth/verify",
            new JsonObject { ["interviewId"] = interviewId, ["token"] = token, ["candidate"] = candidate }.ToJsonString());

    public static HttpRequestMessage Verify(StartedFaceAuth session, string candidate = Identity) =>
        Verify(session.InterviewId, session.Token, candidate);

    /// <summary>Sends a verify and returns its 200 answer.</summary>
    public static async Task<JsonObject> VerifyAsync(this HttpClient client, HttpRequestMessage verify) =>
        await (await client.SendAsync(verify)).JsonAsync(HttpStatusCode.OK);

    public const string ValidAnswer = $$"""{"valid":true,"identityId":"{{Identity}}","message":"Face authentication succeeded"}""";
    public const string InvalidAnswer = """{"valid":false,"message":"Face authentication failed"}""";
}
