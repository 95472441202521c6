using Microsoft.Extensions.Options;
using Polly;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>The pipeline every Incode client's attempts go through, built once for the process.</summary>
internal sealed class IncodeResilience(IOptions<IncodeOptions> options, TimeProvider clock)
{
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; } = IncodeRetryHandler.Build(options.Value, clock);
}
