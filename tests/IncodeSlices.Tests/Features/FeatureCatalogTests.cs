using FastEndpoints;
using IncodeSlices.Features;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Tests.Features;

/// <summary>
/// The native executable finds nothing by scanning: a slice that is not named in FeatureCatalog does
/// not exist there. These read the assembly the way the scan would, and ask that the catalog agree.
/// </summary>
public sealed class FeatureCatalogTests
{
    private static readonly Type[] Types = typeof(FeatureCatalog).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false }).ToArray();

    [Fact]
    public void Names_every_endpoint_and_validator()
    {
        var scanned = Types.Where(t => typeof(IEndpoint).IsAssignableFrom(t)
            || (t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(Validator<>)));

        Assert.Equal(scanned.Select(t => t.FullName).Order(), FeatureCatalog.EndpointTypes.Select(t => t.FullName).Order());
    }

    [Fact]
    public void Registers_every_handler()
    {
        var scanned = Types.SelectMany(t => t.GetInterfaces(), (type, contract) => (type, contract))
            .Where(x => x.contract.IsGenericType && x.contract.GetGenericTypeDefinition() == typeof(IRequestHandler<,>))
            .Select(x => $"{x.contract} → {x.type}");
        var registered = new ServiceCollection().AddFeatureHandlers().Select(d => $"{d.ServiceType} → {d.ImplementationType}");

        Assert.Equal(scanned.Order(), registered.Order());
    }

    [Fact]
    public void Describes_every_request_and_its_bindable_properties()
    {
        var requests = Types.SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>))
            .Select(i => i.GetGenericArguments()[0]).Distinct();
        var cache = new ReflectionCache().AddFeatureRequests();

        foreach (var request in requests)
        {
            Assert.True(cache.TryGetValue(request, out var described), $"{request.Name} is not in FeatureCatalog.AddFeatureRequests");
            var bindable = request.GetProperties().Where(p => p.SetMethod?.IsPublic == true).Select(p => p.Name).Order();
            Assert.Equal(bindable, described.Properties!.Keys.Select(p => p.Name).Order());
            Assert.IsType(request, described.ObjectFactory!());
        }
    }
}
