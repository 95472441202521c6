using FastEndpoints;
using FluentValidation.Results;
using IncodeSlices.Features.Decisions;
using IncodeSlices.Features.FaceAuth;
using IncodeSlices.Features.OnboardingUrl;
using IncodeSlices.Features.WebhookAccess;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Settings;
using IncodeSlices.Infrastructure.Storage;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Features;

public static class FeatureRegistration
{
    /// <summary>The slices: their endpoints (FastEndpoints), handlers (MediatR 5, which has no AddMediatR), and what their areas keep.</summary>
    public static IServiceCollection AddFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFastEndpoints(FeatureCatalog.EndpointTypes); // named, not scanned: see FeatureCatalog
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, FeatureJson.Default));
        services.AddFeatureDocument();

        services.AddScoped<IMediator, FeatureMediator>(); // MediatR's own Mediator cannot run natively compiled
        services.AddFeatureHandlers();

        services.AddFaceAuth(configuration);
        services.AddWebhookAccess(configuration);

        // What single slices keep.
        services.AddSettings<RedirectionOptions>(configuration);
        services.AddSingleton<RedirectionUrlRule>();
        services.AddSingleton<ApprovalLedger>();
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<ApprovalLedger>().Claims); // swept when expired
        services.AddDecisions(configuration); // WEBHOOK_PROCESSING=durable: docs/decisions.md
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
            c.Errors.ResponseBuilder = (failures, _, _) => ErrorBody.Of(failures.FirstOrDefault()?.ErrorMessage ?? ErrorAnswers.BadRequest.Error);
            // The parser's own words ("'x' is an invalid start of a value…") mean nothing to a frontend.
            c.Binding.JsonExceptionTransformer = ex => new ValidationFailure(ex.Path ?? "body", ErrorAnswers.InvalidJsonBody.Error);
        });
        return app;
    }
}
