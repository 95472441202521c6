using MediatR;

namespace IncodeSlices.Features;

/// <summary>
/// MediatR's <see cref="IMediator"/> for the slices, sending each request to the handler
/// <see cref="FeatureCatalog"/> names for it. MediatR 5's own <see cref="Mediator"/> makes a generic
/// wrapper type for each request type at run time (<c>Type.MakeGenericType</c> in <c>Mediator.Send</c>,
/// AOT warning IL3050), which a natively compiled server cannot do. Nothing here uses pipeline
/// behaviours or notifications, MediatR's other two parts.
/// </summary>
internal sealed class FeatureMediator(IServiceProvider services) : IMediator
{
    public Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        FeatureCatalog.Senders.TryGetValue(request.GetType(), out var send)
            ? ((Func<IServiceProvider, object, CancellationToken, Task<TResponse>>)send)(services, request, cancellationToken)
            : throw new InvalidOperationException($"{request.GetType().Name} has no handler in FeatureCatalog");

    public Task Send(IRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Every request of the slices has a response");

    public Task Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
        where TNotification : INotification =>
        throw new NotSupportedException("The slices publish no notifications");
}
