using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;
using MediatR;

namespace IncodeSlices.Features.Finish;

/// <summary>
/// The server-side twin of the Web SDK's getFinishStatus: Incode's answer, unchanged. A session finished
/// here is done with: its stored token, a credential Incode honours for months, is forgotten.
/// </summary>
internal sealed class FinishHandler(IIncodeApi incode, SessionAccess access, FinishedSessions finished)
    : IRequestHandler<FinishRequest, JsonObject>
{
    public async Task<JsonObject> Handle(FinishRequest request, CancellationToken ct)
    {
        await access.RequireTokenAsync(request.Caller, request.Token, interviewId: null, ct);
        var answer = await incode.GetFinishStatusAsync(request.Token, ct);
        await finished.ForgetTokenAsync(request.Token);
        return answer;
    }
}
