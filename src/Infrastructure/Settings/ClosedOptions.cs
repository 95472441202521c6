using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Settings;

/// <summary>
/// One options class's value, made once by the options library's own factory (so configure,
/// post-configure and validation run as they always did) and kept; a failed check is thrown again on
/// each read. Registered closed for a class (<c>IOptions&lt;T&gt;</c> and the like), it spares the native
/// executable the monitor, cache, factory and manager the library's open generic registrations make per
/// class, which the native runtime builds at run time, type by type, before the first answer.
/// Options here never reload, so a monitor never reports a change.
/// </summary>
public sealed class ClosedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IServiceProvider services)
    : IOptions<T>, IOptionsMonitor<T>, IOptionsSnapshot<T> where T : class
{
    private readonly OptionsFactory<T> _factory = new(services.GetServices<IConfigureOptions<T>>(),
        services.GetServices<IPostConfigureOptions<T>>(), services.GetServices<IValidateOptions<T>>());
    private readonly Lock _lock = new();
    private T? _value;

    public T Value
    {
        get
        {
            if (_value is { } value) return value;
            lock (_lock) return _value ??= _factory.Create(Options.DefaultName);
        }
    }

    public T CurrentValue => Value;

    public T Get(string? name) => name is null || name == Options.DefaultName ? Value : _factory.Create(name);

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
