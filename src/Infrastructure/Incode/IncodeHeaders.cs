namespace IncodeSlices.Infrastructure.Incode;

public static class IncodeHeaders
{
    /// <summary>Carries the session token on session calls and the executive token on admin calls.</summary>
    public const string HardwareId = "X-Incode-Hardware-Id";
}
