namespace IncodeSlices.Tests.Support;

/// <summary>
/// Tests that start the server (or a browser) as real processes. They run alone, after the in-memory
/// tests: on two shared cores, a process starting up alongside would push an in-memory test's
/// two-second Incode attempt past its timeout.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerProcessCollection
{
    public const string Name = "Server processes";
}
