using System.Security.Cryptography;
using System.Text;
using IncodeSlices.Infrastructure.Incode;
using MediatR;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Features.FaceAuth.Verify;

/// <summary>
/// Decides on the server whether a face authentication is genuine, so that a tampered or replayed
/// browser result logs nobody in. The checks run in the contract's order and the first that fails
/// ends the attempt. Every failure answers the same words; only the log says which check it was.
/// </summary>
internal sealed class FaceAuthVerifyHandler(
    FaceAuthSessions sessions, FaceAuthLedger ledger, IIncodeApi incode, ILogger<FaceAuthVerifyHandler> logger)
    : IRequestHandler<FaceAuthVerifyRequest, FaceAuthVerifyResponse>
{
    public async Task<FaceAuthVerifyResponse> Handle(FaceAuthVerifyRequest request, CancellationToken ct)
    {
        var interviewId = request.InterviewId;
        if (await sessions.FindAsync(interviewId, ct) is not { } session) return Invalid(interviewId, "unknown_session");
        if (!await ledger.TryClaimAsync(interviewId, ct)) return Invalid(interviewId, "already_used");

        // This request holds the session's only claim: however it ends, the session is used.
        if (!SameToken(request.Token, session.Token)) return await RejectAsync(interviewId, "token_mismatch");
        if (request.Candidate != session.IdentityId) return await RejectAsync(interviewId, "candidate_mismatch");

        IncodeScore score;
        try
        {
            // Finished before the score is read, so the session cannot change under the score; both
            // with the stored token, never the caller's.
            await incode.GetFinishStatusAsync(session.Token, ct);
            score = await incode.GetScoreAsync(interviewId, session.Token, ct);
        }
        catch
        {
            await RejectAsync(interviewId, "incode_failed");
            throw; // answered 502 or 504 like every Incode failure
        }

        if (score.Authentication?.IdentityId != request.Candidate) return await RejectAsync(interviewId, "identity_mismatch");
        if (!score.Passed) return await RejectAsync(interviewId, "score_not_ok");

        await ledger.RecordAsync(interviewId, FaceAuthLedger.Approved, reason: null);
        logger.LogInformation("Face authentication of interview {InterviewId} approved", interviewId);
        return FaceAuthVerifyResponse.ValidFor(session.IdentityId);
    }

    private FaceAuthVerifyResponse Invalid(string interviewId, string reason)
    {
        logger.LogInformation("Face authentication of interview {InterviewId} refused: {Reason}", interviewId, reason);
        return FaceAuthVerifyResponse.Invalid;
    }

    private async Task<FaceAuthVerifyResponse> RejectAsync(string interviewId, string reason)
    {
        await ledger.RecordAsync(interviewId, FaceAuthLedger.Rejected, reason);
        logger.LogInformation("Face authentication of interview {InterviewId} rejected: {Reason}", interviewId, reason);
        return FaceAuthVerifyResponse.Invalid;
    }

    /// <summary>
    /// Compares digests in constant time: neither how much of the token matched nor its length
    /// shows in the time the comparison takes.
    /// </summary>
    private static bool SameToken(string sent, string stored) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(stored)));
}
