using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Incode;
using MediatR;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Features.FetchScore;

internal sealed class FetchScoreHandler(IIncodeApi incode, SessionAccess access, ILogger<FetchScoreHandler> logger)
    : IRequestHandler<FetchScoreRequest, FetchScoreResponse>
{
    public async Task<FetchScoreResponse> Handle(FetchScoreRequest request, CancellationToken ct)
    {
        // With callers known: the token must be of a session the caller started, and of this interview.
        await access.RequireTokenAsync(request.Caller, request.Token, request.InterviewId, ct);
        var score = await incode.GetScoreAsync(request.InterviewId, request.Token, ct);
        var outcome = score.Passed ? "OK" : "FAIL"; // WARN, UNKNOWN, MANUAL… and a missing status all count as FAIL

        // Every call makes one; at Information it would double the log of a busy frontend (LOG_LEVEL=debug shows it).
        logger.LogDebug("Interview {InterviewId} scored {Outcome}", request.InterviewId, outcome);
        return new FetchScoreResponse(Success: true, outcome);
    }
}
