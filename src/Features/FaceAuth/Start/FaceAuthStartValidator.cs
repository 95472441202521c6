using System.Text.Json;
using FastEndpoints;
using FluentValidation;

namespace IncodeSlices.Features.FaceAuth.Start;

internal sealed class FaceAuthStartValidator : Validator<FaceAuthStartRequest>
{
    internal const int MaxIdentityLength = 128;

    public FaceAuthStartValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.IdentityId)
            .Must(id => id.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
                && !(id.ValueKind == JsonValueKind.String && id.GetString() is ""))
            .WithMessage("Missing required parameter identityId")
            .Must(id => id.ValueKind == JsonValueKind.String && IsIdentity(id.GetString()!))
            .WithMessage("Invalid identityId");
    }

    /// <summary>It is stored and compared, never sent anywhere; a control character has no place in an id.</summary>
    private static bool IsIdentity(string id) => id.Length <= MaxIdentityLength && !id.Any(char.IsControl);
}
