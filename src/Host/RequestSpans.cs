using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using OpenTelemetry;

namespace IncodeSlices.Host;

/// <summary>
/// The request span is ASP.NET Core's own activity; this gives it the tags and name the server
/// promises, and keeps other hosts' requests out. The tracer listens by source name, and every host in
/// a process (a test's Incode stub, a second app) has a source of that name: only this host's instance
/// is this server's. Another host's request is marked not sampled as it starts, so nothing under it
/// (its Incode calls, its store writes) is sampled either.
/// </summary>
internal sealed class RequestSpans(ActivitySource requests) : BaseProcessor<Activity>
{
    public const string SourceName = "Microsoft.AspNetCore";

    public override void OnStart(Activity data)
    {
        if (data.Source.Name != SourceName || ReferenceEquals(data.Source, requests)) return;
        data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded; // children follow their parent's flag
        data.IsAllDataRequested = false;                         // and the tracer never ends it to the exporter
    }

    public static async Task TagAfter(Task request, HttpContext context, Activity span)
    {
        try
        {
            await request;
        }
        finally
        {
            var status = context.Response.StatusCode;
            span.SetTag("http.request.method", context.Request.Method)
                .SetTag("url.scheme", context.Request.Scheme)
                .SetTag("url.path", context.Request.Path.Value)
                .SetTag("http.response.status_code", status);
            // The error handler clears the endpoint before it answers; its feature keeps the original.
            var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route is { } route)
            {
                span.SetTag("http.route", route);
                span.DisplayName = $"{context.Request.Method} {route}";
            }
            else span.DisplayName = context.Request.Method;
            if (status >= 500 && span.Status != ActivityStatusCode.Error)
                span.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture)).SetStatus(ActivityStatusCode.Error);
        }
    }
}
