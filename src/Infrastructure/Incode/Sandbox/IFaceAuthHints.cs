namespace IncodeSlices.Infrastructure.Incode.Sandbox;

/// <summary>
/// The identity a face-authentication session was started for, as this server stored it (null for
/// any other session). Only the sandbox asks. Real Incode matches the face against the authHint that
/// the Web SDK sends it from the browser; the server never tells Incode the identity (/omni/start
/// carries the flow and the language only), and the sandbox sees no browser. So the sandbox "matches"
/// what the server recorded at the start, read through this port: the slice that stores face-auth
/// sessions implements it, the handlers stay free of sandbox cases, and Infrastructure does not
/// learn a slice's record format.
/// </summary>
public interface IFaceAuthHints
{
    Task<string?> IdentityOfAsync(string interviewId, CancellationToken ct);
}
