using FastEndpoints;
using FluentValidation.Results;
using IncodeSlices.Features.Approve;
using IncodeSlices.Features.FaceAuthStart;
using IncodeSlices.Features.FaceAuthVerify;
using IncodeSlices.Features.OAuthToken;
using IncodeSlices.Features.OnboardingUrl;
using IncodeSlices.Features.Webhook;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Storage;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Features;

public static class FeatureRegistration
{
    /// <summary>The slices: their endpoints (FastEndpoints), handlers (MediatR 5, which has no AddMediatR) and what they keep.</summary>
    public static IServiceCollection AddFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFastEndpoints(FeatureCatalog.EndpointTypes); // named, not scanned: see FeatureCatalog
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, FeatureJson.Default));
        services.AddFeatureDocument();

        services.AddScoped<IMediator, FeatureMediator>(); // MediatR's own Mediator cannot run natively compiled
        services.AddFeatureHandlers();

        services.AddSingleton(RedirectionUrlRule.FromSetting(configuration["REDIRECT_ALLOWED_HOSTS"]));
        services.AddSingleton<ApprovalLedger>();
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<ApprovalLedger>().Claims); // swept when expired
        services.AddOptions<FaceAuthOptions>().Bind(configuration).Validate(o => o.HasValidTtl, FaceAuthOptions.TtlRule).ValidateOnStart();
        services.AddSingleton<FaceAuthSessions>();
        services.AddSingleton<IFaceAuthHints>(sp => sp.GetRequiredService<FaceAuthSessions>()); // read by the sandbox only
        services.AddSingleton<FaceAuthLedger>();
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<FaceAuthSessions>().Kind);
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<FaceAuthLedger>().Claims);
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<FaceAuthLedger>().Outcomes);
        services.AddSingleton<TokenRequestFailures>();
        services.AddWebhookAuthentication(configuration);
        return services;
    }

    /// <summary>The endpoints, with errors in the contract's shape instead of FastEndpoints' own.</summary>
    public static WebApplication MapFeatures(this WebApplication app)
    {
        app.UseFastEndpoints(c =>
        {
            c.Binding.ReflectionCache.AddFeatureRequests();
            c.Errors.ContentType = "application/json";
            c.Errors.ProducesMetadataType = typeof(ErrorBody);
            c.Errors.ResponseBuilder = (failures, _, _) => ErrorBody.Of(failures.FirstOrDefault()?.ErrorMessage ?? "Bad request");
            // The parser's own words ("'x' is an invalid start of a value…") mean nothing to a frontend.
            c.Binding.JsonExceptionTransformer = ex => new ValidationFailure(ex.Path ?? "body", ErrorAnswers.InvalidJsonBody.Error);
        });
        return app;
    }
}
