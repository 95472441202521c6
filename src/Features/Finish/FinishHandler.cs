using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using MediatR;

namespace IncodeSlices.Features.Finish;

/// <summary>The server-side twin of the Web SDK's getFinishStatus: Incode's answer, unchanged.</summary>
internal sealed class FinishHandler(IIncodeApi incode) : IRequestHandler<FinishRequest, JsonObject>
{
    public Task<JsonObject> Handle(FinishRequest request, CancellationToken ct)
        => incode.GetFinishStatusAsync(request.Token, ct);
}
