using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The server's HttpContext factory, counting requests from start to end. ASP.NET Core hands a
/// request's context back to its factory only after it has measured the request and ended its span,
/// which can be after the caller has the answer: once none is in flight, both are recorded.
/// </summary>
public sealed class RequestsInFlight(IHttpContextFactory inner) : IHttpContextFactory
{
    private readonly object _gate = new();
    private int _count;
    private TaskCompletionSource _none = Done();

    public HttpContext Create(IFeatureCollection featureCollection)
    {
        lock (_gate)
        {
            if (_count++ == 0) _none = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return inner.Create(featureCollection);
    }

    public void Dispose(HttpContext httpContext)
    {
        inner.Dispose(httpContext);
        TaskCompletionSource? ended = null;
        lock (_gate)
        {
            if (--_count == 0) ended = _none;
        }
        ended?.SetResult();
    }

    /// <summary>Completes once no request is in flight (at once if none is).</summary>
    public Task NoneAsync()
    {
        lock (_gate) return _none.Task;
    }

    private static TaskCompletionSource Done()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
