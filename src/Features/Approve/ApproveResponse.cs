using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IncodeSlices.Features.Approve;

/// <summary><c>data</c> on success (Incode's approval, or the payload echoed); <c>error</c> when the session did not pass.</summary>
public sealed record ApproveResponse(
    string Timestamp,
    bool Success,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? Data = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
