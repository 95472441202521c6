using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using FastEndpoints;
using IncodeSlices.Features.Approve;
using IncodeSlices.Features.Auth;
using IncodeSlices.Features.Decisions.Feed;
using IncodeSlices.Features.FaceAuth.Start;
using IncodeSlices.Features.FaceAuth.Verify;
using IncodeSlices.Features.FetchScore;
using IncodeSlices.Features.Finish;
using IncodeSlices.Features.OnboardingStatus;
using IncodeSlices.Features.OnboardingUrl;
using IncodeSlices.Features.Start;
using IncodeSlices.Features.Webhook;
using IncodeSlices.Features.WebhookAccess.OAuthToken;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Features;

/// <summary>
/// The slices by name: what FastEndpoints and MediatR would otherwise find by scanning the assembly,
/// which finds nothing in the published server (compiled ahead of time, its unused metadata trimmed).
/// A new slice adds its endpoint, validator, handler and request here; FeatureCatalogTests fails
/// when one is missing. (FastEndpoints.Generator, which would write this list, is not served here.)
/// </summary>
internal static class FeatureCatalog
{
    /// <summary>The endpoints and validators, as FastEndpoints' source generator would list them.</summary>
    public static List<Type> EndpointTypes =>
    [
        Keep<ApproveEndpoint>(), Keep<ApproveValidator>(),
        Keep<AuthEndpoint>(), Keep<AuthValidator>(),
        Keep<FaceAuthStartEndpoint>(), Keep<FaceAuthStartValidator>(),
        Keep<FaceAuthVerifyEndpoint>(), Keep<FaceAuthVerifyValidator>(),
        Keep<FetchScoreEndpoint>(), Keep<FetchScoreValidator>(),
        Keep<FinishEndpoint>(), Keep<FinishValidator>(),
        Keep<OAuthTokenEndpoint>(),
        Keep<OnboardingStatusEndpoint>(), Keep<OnboardingStatusValidator>(),
        Keep<OnboardingUrlEndpoint>(), Keep<OnboardingUrlValidator>(),
        Keep<StartEndpoint>(), Keep<StartValidator>(),
        Keep<DecisionFeedEndpoint>(), Keep<DecisionFeedValidator>(),
        Keep<WebhookEndpoint>(),
    ];

    /// <summary>Each slice's MediatR handler, scoped, and how <see cref="FeatureMediator"/> sends its request to it.</summary>
    private static readonly Handler[] Handlers =
    [
        Handle<ApproveRequest, ApproveResponse, ApproveHandler>(),
        Handle<AuthRequest, JsonObject, AuthHandler>(),
        Handle<FaceAuthStartRequest, FaceAuthStartResponse, FaceAuthStartHandler>(),
        Handle<FaceAuthVerifyRequest, FaceAuthVerifyResponse, FaceAuthVerifyHandler>(),
        Handle<FetchScoreRequest, FetchScoreResponse, FetchScoreHandler>(),
        Handle<FinishRequest, JsonObject, FinishHandler>(),
        Handle<OAuthTokenRequest, OAuthTokenResponse, OAuthTokenHandler>(),
        Handle<DecisionFeedRequest, DecisionFeedResponse, DecisionFeedHandler>(),
        Handle<OnboardingStatusRequest, OnboardingStatusResponse, OnboardingStatusHandler>(),
        Handle<OnboardingUrlRequest, OnboardingUrlResponse, OnboardingUrlHandler>(),
        Handle<StartRequest, StartResponse, StartHandler>(),
        Handle<WebhookRequest, WebhookResponse, WebhookHandler>(),
    ];

    public static IServiceCollection AddFeatureHandlers(this IServiceCollection services)
    {
        foreach (var handler in Handlers) handler.Register(services);
        return services;
    }

    /// <summary>Sends each request type to its handler: typed delegates, made once, no type made at run time.</summary>
    public static readonly FrozenDictionary<Type, Delegate> Senders = Handlers.ToFrozenDictionary(h => h.Request, h => h.Send);

    private sealed record Handler(Type Request, Action<IServiceCollection> Register, Delegate Send);

    private static Handler Handle<TRequest, TResponse, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>()
        where TRequest : IRequest<TResponse>
        where THandler : class, IRequestHandler<TRequest, TResponse> => new(
            typeof(TRequest),
            services => services.AddScoped<IRequestHandler<TRequest, TResponse>, THandler>(),
            new Func<IServiceProvider, object, CancellationToken, Task<TResponse>>((services, request, ct) =>
                services.GetRequiredService<IRequestHandler<TRequest, TResponse>>().Handle((TRequest)request, ct)));

    /// <summary>
    /// What FastEndpoints' binder reflects on for each request: how to make one, and its bindable
    /// properties, named here so that trimming keeps them (the source generator would write this too).
    /// Their setters are init-only, which FastEndpoints sets through a compiled expression of its own.
    /// </summary>
    public static ReflectionCache AddFeatureRequests(this ReflectionCache cache)
    {
        Request(cache, () => new ApproveRequest(), typeof(ApproveRequest).GetProperty(nameof(ApproveRequest.Payload))!);
        Request(cache, () => new AuthRequest(),
            typeof(AuthRequest).GetProperty(nameof(AuthRequest.TransactionId))!,
            typeof(AuthRequest).GetProperty(nameof(AuthRequest.Token))!,
            typeof(AuthRequest).GetProperty(nameof(AuthRequest.InterviewToken))!);
        Request(cache, () => new FaceAuthStartRequest(), typeof(FaceAuthStartRequest).GetProperty(nameof(FaceAuthStartRequest.IdentityId))!);
        Request(cache, () => new FaceAuthVerifyRequest(),
            typeof(FaceAuthVerifyRequest).GetProperty(nameof(FaceAuthVerifyRequest.InterviewId))!,
            typeof(FaceAuthVerifyRequest).GetProperty(nameof(FaceAuthVerifyRequest.Token))!,
            typeof(FaceAuthVerifyRequest).GetProperty(nameof(FaceAuthVerifyRequest.Candidate))!);
        Request(cache, () => new FetchScoreRequest(),
            typeof(FetchScoreRequest).GetProperty(nameof(FetchScoreRequest.InterviewId))!,
            typeof(FetchScoreRequest).GetProperty(nameof(FetchScoreRequest.Token))!);
        Request(cache, () => new FinishRequest(), typeof(FinishRequest).GetProperty(nameof(FinishRequest.Token))!);
        Request(cache, () => new OAuthTokenRequest(),
            typeof(OAuthTokenRequest).GetProperty(nameof(OAuthTokenRequest.IsForm))!,
            typeof(OAuthTokenRequest).GetProperty(nameof(OAuthTokenRequest.GrantType))!,
            typeof(OAuthTokenRequest).GetProperty(nameof(OAuthTokenRequest.ClientId))!,
            typeof(OAuthTokenRequest).GetProperty(nameof(OAuthTokenRequest.ClientSecret))!,
            typeof(OAuthTokenRequest).GetProperty(nameof(OAuthTokenRequest.ClientAddress))!);
        Request(cache, () => new OnboardingStatusRequest(), typeof(OnboardingStatusRequest).GetProperty(nameof(OnboardingStatusRequest.InterviewId))!);
        Request(cache, () => new OnboardingUrlRequest(), typeof(OnboardingUrlRequest).GetProperty(nameof(OnboardingUrlRequest.RedirectionUrl))!);
        Request(cache, () => new StartRequest(),
            typeof(StartRequest).GetProperty(nameof(StartRequest.UniqueId))!,
            typeof(StartRequest).GetProperty(nameof(StartRequest.Uuid))!);
        Request(cache, () => new WebhookRequest(), typeof(WebhookRequest).GetProperty(nameof(WebhookRequest.Payload))!);
        Request(cache, () => new DecisionFeedRequest(),
            typeof(DecisionFeedRequest).GetProperty(nameof(DecisionFeedRequest.After))!,
            typeof(DecisionFeedRequest).GetProperty(nameof(DecisionFeedRequest.Limit))!,
            typeof(DecisionFeedRequest).GetProperty(nameof(DecisionFeedRequest.Authorization))!);
        return cache;
    }

    private static void Request<T>(ReflectionCache cache, Func<T> create, params System.Reflection.PropertyInfo[] properties) where T : class =>
        cache.TryAdd(typeof(T), new TypeDefinition
        {
            ObjectFactory = create,
            Properties = new(properties.Select(p => KeyValuePair.Create(p, new PropertyDefinition { Getter = p.GetValue }))),
        });

    /// <summary>Keeps what FastEndpoints reflects on in a discovered type: its constructors, methods and interfaces.</summary>
    private static Type Keep<[DynamicallyAccessedMembers(
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.Interfaces)] T>()
        => typeof(T);
}
