namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>
/// Who started an interview, kept under its interviewId and under its session token (each by digest),
/// so that a route that is given either can tell whose it is, and a finished session can be found and
/// its token forgotten. Holds no credential: the uniqueId of a forgotten session resumes nothing.
/// </summary>
/// <param name="UniqueId">The stored session's id; null for /onboarding-url, which stores no session to resume.</param>
/// <param name="User">The signed-in user of the app (CALLER_USER_CLAIM); null when caller authentication is off.</param>
/// <param name="ExternalCustomerId">What Incode was given as <c>externalCustomerId</c>, if anything.</param>
public sealed record SessionOwnership(string InterviewId, string? UniqueId, string? User, string? ExternalCustomerId);
