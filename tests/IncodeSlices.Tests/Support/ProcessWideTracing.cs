namespace IncodeSlices.Tests.Support;

/// <summary>
/// The test classes whose servers export spans from the test process itself. OpenTelemetry listens
/// to ASP.NET Core's activity source by name, process-wide: while one of them runs, every other server
/// in the process starts an Activity per request, which the tests of untraced servers refuse (their
/// log lines carry no trace id; RequestLogTests). So these run alone, after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTracing
{
    public const string Name = "Spans exported from the test process";
}
