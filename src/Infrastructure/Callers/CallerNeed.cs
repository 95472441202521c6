namespace IncodeSlices.Infrastructure.Callers;

/// <summary>What a route needs of its caller when caller authentication is on.</summary>
public enum CallerNeed
{
    /// <summary>Creates a billable session: a caller, within the per-user budget.</summary>
    NewSession,

    /// <summary>/start: a new session as <see cref="NewSession"/>; a resume (<c>?uniqueId=</c>) is open, but a bearer token given is checked.</summary>
    NewOrResumedSession,

    /// <summary>Reads or finishes a session: a caller, who must own it (or hold the back-office scope).</summary>
    OwnedSession,
}
