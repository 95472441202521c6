using IncodeSlices.Infrastructure.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Tests.Infrastructure.Settings;

/// <summary>
/// Settings served through closed registrations (<see cref="ClosedOptions{T}"/>) must still behave as the
/// options library's own: every configure and post-configure step applied, one value whichever way it
/// is asked for, and every bad setting of every class refused together at start-up.
/// </summary>
public sealed class SettingsRegistrationTests
{
    [Fact]
    public void A_class_is_one_value_read_from_its_variables_and_post_configured_whichever_way_it_is_asked_for()
    {
        using var services = Build(new() { ["FIRST_COUNT"] = "7" }, s => s.PostConfigure<FirstSettings>(f => f.Name ??= "post-configured"));
        using var scope = services.CreateScope();

        var value = services.GetRequiredService<IOptions<FirstSettings>>().Value;

        Assert.Equal(7, value.Count);
        Assert.Equal("post-configured", value.Name);
        Assert.Same(value, services.GetRequiredService<IOptionsMonitor<FirstSettings>>().CurrentValue);
        Assert.Same(value, scope.ServiceProvider.GetRequiredService<IOptionsSnapshot<FirstSettings>>().Value);
    }

    [Fact]
    public void Every_bad_setting_of_every_class_is_refused_at_once_in_the_order_the_classes_were_added()
    {
        using var services = Build(new() { ["FIRST_COUNT"] = "many", ["SECOND_ON"] = "perhaps" });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(["FIRST_COUNT must be a whole number.", "SECOND_ON must be true or false."], refused.Failures);
        // And a class read later still refuses, every time, rather than serve its defaults.
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SecondSettings>>().Value);
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<SecondSettings>>().CurrentValue);
    }

    [Fact]
    public void Good_settings_pass_the_start_up_check()
    {
        using var services = Build(new() { ["FIRST_COUNT"] = "3", ["SECOND_ON"] = "true" });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.True(services.GetRequiredService<IOptions<SecondSettings>>().Value.On);
    }

    private static ServiceProvider Build(Dictionary<string, string?> variables, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(variables).Build();
        var services = new ServiceCollection();
        services.AddSettings<FirstSettings>(configuration);
        services.AddSettings<SecondSettings>(configuration);
        more?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public sealed class FirstSettings
    {
        [ConfigurationKeyName("FIRST_COUNT")]
        public int Count { get; set; } = 1;

        [ConfigurationKeyName("FIRST_NAME")]
        public string? Name { get; set; }
    }

    public sealed class SecondSettings
    {
        [ConfigurationKeyName("SECOND_ON")]
        public bool On { get; set; }
    }
}
