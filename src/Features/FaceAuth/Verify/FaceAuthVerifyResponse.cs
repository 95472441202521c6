using System.Text;
using System.Text.Json.Serialization;

namespace IncodeSlices.Features.FaceAuth.Verify;

/// <summary>Valid, with the identity logged in as; or invalid, in the same words whichever check failed.</summary>
public sealed record FaceAuthVerifyResponse(
    bool Valid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdentityId,
    string Message)
{
    public static readonly FaceAuthVerifyResponse Invalid = new(false, null, "Face authentication failed");

    public static FaceAuthVerifyResponse ValidFor(string identityId) => new(true, identityId, "Face authentication succeeded");

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Valid = ").Append(Valid);
        return true;
    }
}
