using System.Text;
using System.Text.Json.Nodes;
using MediatR;

namespace IncodeSlices.Features.Auth;

/// <summary>What the Web SDK's face login hands the frontend; all three are secrets of that login.</summary>
public sealed record AuthRequest : IRequest<JsonObject>
{
    public string TransactionId { get; init; } = "";
    public string Token { get; init; } = "";
    public string InterviewToken { get; init; } = "";

    private bool PrintMembers(StringBuilder builder) => false;
}
