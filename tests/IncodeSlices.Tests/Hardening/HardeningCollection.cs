namespace IncodeSlices.Tests.Hardening;

/// <summary>
/// The heavy and the timed tests run alone, after the rest: thousands of requests would slow the other
/// classes into their two-second Incode timeouts, and their load would blur the timing asserted here.
/// They take a minute or two; <c>dotnet test --filter Category!=Hardening</c> leaves them out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HardeningCollection
{
    public const string Name = "Hardening";
}
