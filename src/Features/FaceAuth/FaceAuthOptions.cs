using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Features.FaceAuth;

public sealed class FaceAuthOptions
{
    /// <summary>The flow or workflow that holds the Face Authentication module; FLOW_ID when unset.</summary>
    [ConfigurationKeyName("FACE_AUTH_FLOW_ID")] public string? FlowId { get; set; }

    /// <summary>How long a started face authentication can be verified.</summary>
    [ConfigurationKeyName("FACE_AUTH_TTL_MINUTES")] public int TtlMinutes { get; set; } = 15;

    public TimeSpan Ttl => TimeSpan.FromMinutes(TtlMinutes);

    internal const string TtlRule = "FACE_AUTH_TTL_MINUTES must be a whole number of minutes from 1 to 1440.";

    internal bool HasValidTtl => TtlMinutes is >= 1 and <= 1440;
}
