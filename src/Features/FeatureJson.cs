using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IncodeSlices.Features.Approve;
using IncodeSlices.Features.Auth;
using IncodeSlices.Features.Decisions.Feed;
using IncodeSlices.Features.FaceAuth;
using IncodeSlices.Features.FaceAuth.Start;
using IncodeSlices.Features.FaceAuth.Verify;
using IncodeSlices.Features.FetchScore;
using IncodeSlices.Features.Finish;
using IncodeSlices.Features.OnboardingStatus;
using IncodeSlices.Features.OnboardingUrl;
using IncodeSlices.Features.Start;
using IncodeSlices.Features.Webhook;
using IncodeSlices.Features.WebhookAccess.OAuthToken;
using IncodeSlices.Infrastructure.Errors;

namespace IncodeSlices.Features;

/// <summary>
/// Every type the slices read or write as JSON (bodies, answers, stored records), with serializers
/// generated at build time: the published server is compiled ahead of time and trimmed, where
/// reflection-based JSON cannot run. FastEndpoints reads and writes through it (see AddFeatures).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApproveRequest))]
[JsonSerializable(typeof(ApproveResponse))]
[JsonSerializable(typeof(AuthRequest))]
[JsonSerializable(typeof(FaceAuthStartRequest))]
[JsonSerializable(typeof(FaceAuthStartResponse))]
[JsonSerializable(typeof(FaceAuthSession))]
[JsonSerializable(typeof(FaceAuthVerifyRequest))]
[JsonSerializable(typeof(FaceAuthVerifyResponse))]
[JsonSerializable(typeof(FaceAuthLedger.Claim))]
[JsonSerializable(typeof(FaceAuthLedger.Outcome))]
[JsonSerializable(typeof(FetchScoreRequest))]
[JsonSerializable(typeof(FetchScoreResponse))]
[JsonSerializable(typeof(FinishRequest))]
[JsonSerializable(typeof(OAuthTokenRequest))]
[JsonSerializable(typeof(OAuthTokenResponse))]
[JsonSerializable(typeof(OAuthErrorBody))]
[JsonSerializable(typeof(OnboardingStatusRequest))]
[JsonSerializable(typeof(OnboardingStatusResponse))]
[JsonSerializable(typeof(OnboardingUrlRequest))]
[JsonSerializable(typeof(OnboardingUrlResponse))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(StartResponse))]
[JsonSerializable(typeof(WebhookRequest))]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(DecisionFeedRequest))]
[JsonSerializable(typeof(DecisionFeedResponse))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class FeatureJson : JsonSerializerContext;
