namespace IncodeSlices.Infrastructure.Startup;

/// <summary>
/// The server cannot serve in this environment: <paramref name="reason"/> names the setting or
/// resource and what is wrong with it, in one sentence with no secret in it, for the one line
/// start-up prints before it exits.
/// </summary>
public sealed class StartupRefusedException(string reason, Exception? inner = null) : Exception(reason, inner);
