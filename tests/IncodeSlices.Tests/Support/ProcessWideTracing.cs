namespace IncodeSlices.Tests.Support;

/// <summary>
/// The test classes whose servers export spans from the test process itself. OpenTelemetry listens
/// process-wide: while one of them runs, every other server in the process starts an Activity per
/// request and sends Incode a traceparent header, which the contract tests refuse (as they should:
/// a lone server that does not trace sends none). So these run alone, after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTracing
{
    public const string Name = "Spans exported from the test process";
}
