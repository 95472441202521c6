using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Settings;

/// <summary>
/// The one way a setting is read: an options class whose properties name their variables with
/// <see cref="ConfigurationKeyNameAttribute"/>, bound once and checked at start-up. A value that is
/// not of its property's kind is refused with a sentence naming the variable (never the value, which
/// may be a secret), together with every other bad setting.
/// </summary>
/// <remarks>
/// Each class is served as <see cref="IOptions{TOptions}"/>, <see cref="IOptionsMonitor{TOptions}"/>
/// and <see cref="IOptionsSnapshot{TOptions}"/> by one <see cref="ClosedOptions{T}"/> of its own: the
/// library's open generic registrations made most of what the native executable spent before its first answer.
/// </remarks>
public static class SettingsRegistration
{
    private const DynamicallyAccessedMemberTypes Properties = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    public static OptionsBuilder<T> AddSettings<[DynamicallyAccessedMembers(Properties)] T>(this IServiceCollection services, IConfiguration configuration)
        where T : class
    {
        // A value of the wrong kind keeps its default and is reported with what the class's own rules find.
        var unreadable = new Unreadable<T>();
        services.AddOptions();
        services.AddSingleton<IValidateOptions<T>>(unreadable);
        services.AddSingleton(sp => new ClosedOptions<T>(sp));
        services.AddSingleton<IOptions<T>>(sp => sp.GetRequiredService<ClosedOptions<T>>());
        services.AddSingleton<IOptionsMonitor<T>>(sp => sp.GetRequiredService<ClosedOptions<T>>());
        services.AddScoped<IOptionsSnapshot<T>>(sp => sp.GetRequiredService<ClosedOptions<T>>());
        StartupCheck.Of(services).Add(sp => sp.GetRequiredService<ClosedOptions<T>>().Value);
        return new OptionsBuilder<T>(services, Options.DefaultName).Configure(settings => unreadable.Problems = Fill(settings, configuration));
    }

    /// <summary>Reads <typeparamref name="T"/> now, for what is needed before the host is built; a bad value keeps its default here and is refused at start-up.</summary>
    public static T ReadNow<[DynamicallyAccessedMembers(Properties)] T>(IConfiguration configuration) where T : class, new()
    {
        var settings = new T();
        Fill(settings, configuration);
        return settings;
    }

    /// <summary>The variables <typeparamref name="T"/> reads.</summary>
    public static IEnumerable<string> Names<[DynamicallyAccessedMembers(Properties)] T>() => Keys<T>.All.Select(k => k.Name);

    /// <summary>Each class's variables, found once: reflection over attributes is slow in a native executable, and some classes are read more than once.</summary>
    private static class Keys<[DynamicallyAccessedMembers(Properties)] T>
    {
        public static readonly (string Name, PropertyInfo Property)[] All = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name, p))
            .Where(k => k.Name is not null && k.p.CanWrite)
            .Select(k => (k.Name!, k.p))
            .ToArray();
    }

    /// <summary>
    /// Sets each property whose variable has a value, and says which values are not of their kind.
    /// An empty value counts as unset, as it does for a shell and for a .env line <c>NAME=</c>.
    /// </summary>
    private static List<string> Fill<[DynamicallyAccessedMembers(Properties)] T>(T settings, IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (name, property) in Keys<T>.All)
        {
            if (configuration[name] is not { Length: > 0 } value) continue;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (TryRead(type, value, out var read, out var kind)) property.SetValue(settings, read);
            else problems.Add($"{name} must be {kind}.");
        }
        return problems;
    }

    private static bool TryRead(Type type, string value, out object? read, out string kind)
    {
        var culture = CultureInfo.InvariantCulture;
        var trimmed = value.Trim();
        (read, kind) = (null, "");
        if (type == typeof(string))
            read = value;
        else if (type == typeof(int))
            (read, kind) = (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, culture, out var i) ? i : null, "a whole number");
        else if (type == typeof(double))
            (read, kind) = (double.TryParse(trimmed, NumberStyles.Float, culture, out var d) && double.IsFinite(d) ? d : null, "a number");
        else if (type == typeof(bool))
            (read, kind) = (bool.TryParse(trimmed, out var b) ? b : null, "true or false");
        else
            throw new NotSupportedException($"A setting of type {type.Name} has no reader");
        return read is not null;
    }

    private sealed class Unreadable<T> : IValidateOptions<T> where T : class
    {
        public List<string> Problems { get; set; } = [];

        public ValidateOptionsResult Validate(string? name, T options) =>
            Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(Problems);
    }

    /// <summary>
    /// Every settings class checked at once, through the options library's own start-up check: one
    /// entry in it (<see cref="OptionsBuilderExtensions.ValidateOnStart{TOptions}"/>) for all of them, whose
    /// refusal carries every class's failures, in the order the classes were added, as one line needs them.
    /// </summary>
    private sealed class StartupCheck : List<Func<IServiceProvider, object>>
    {
        public static StartupCheck Of(IServiceCollection services)
        {
            if (services.FirstOrDefault(d => d.ServiceType == typeof(StartupCheck))?.ImplementationInstance is StartupCheck added) return added;
            var check = new StartupCheck();
            services.AddSingleton(check);
            services.AddSingleton<IOptionsMonitor<AllSettings>>(sp => new AllSettingsMonitor(sp, check));
            new OptionsBuilder<AllSettings>(services, Options.DefaultName).ValidateOnStart();
            return check;
        }
    }

    private sealed class AllSettings;

    private sealed class AllSettingsMonitor(IServiceProvider services, StartupCheck check) : IOptionsMonitor<AllSettings>
    {
        private static readonly AllSettings Checked = new();

        public AllSettings CurrentValue => Get(Options.DefaultName);

        public AllSettings Get(string? name)
        {
            var failures = new List<string>();
            foreach (var read in check)
            {
                try
                {
                    read(services);
                }
                catch (OptionsValidationException refused)
                {
                    failures.AddRange(refused.Failures);
                }
            }
            return failures.Count == 0 ? Checked : throw new OptionsValidationException(name ?? Options.DefaultName, typeof(AllSettings), failures);
        }

        public IDisposable? OnChange(Action<AllSettings, string?> listener) => null;
    }
}
