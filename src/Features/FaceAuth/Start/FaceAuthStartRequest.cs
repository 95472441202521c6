using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediatR;
using NJsonSchema;
using NJsonSchema.Annotations;

namespace IncodeSlices.Features.FaceAuth.Start;

public sealed record FaceAuthStartRequest : IRequest<FaceAuthStartResponse>
{
    /// <summary>
    /// The Incode identity the user claims to be (the hint typed before the face capture). Bound as
    /// the JSON value it is, so that a number or an object is refused as an invalid identityId
    /// rather than as a body that is not JSON.
    /// </summary>
    [JsonSchema(JsonObjectType.String)]
    public JsonElement IdentityId { get; init; }

    /// <summary>The identity as a string; empty when it is absent or not a string (the validator refuses both).</summary>
    [JsonIgnore]
    public string ClaimedIdentity => IdentityId.ValueKind == JsonValueKind.String ? IdentityId.GetString() ?? "" : "";

    // The claimed identity is what a face login logs in as: not for the log.
    private bool PrintMembers(StringBuilder builder) => false;
}
