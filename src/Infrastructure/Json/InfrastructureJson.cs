using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Health;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;

namespace IncodeSlices.Infrastructure.Json;

/// <summary>
/// Every type Infrastructure reads or writes as JSON, with serializers generated at build time: the
/// published server is compiled ahead of time and trimmed, where reflection-based JSON cannot run.
/// Web defaults (camelCase, names matched case-insensitively), as ASP.NET Core and the Node sample use.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(OAuthErrorBody))]
[JsonSerializable(typeof(ErrorAnswers.NotFoundBody))]
[JsonSerializable(typeof(HealthRegistration.Alive))]
[JsonSerializable(typeof(HealthRegistration.Ready))]
[JsonSerializable(typeof(IncodeStartRequest))]
[JsonSerializable(typeof(IncodeStartResponse))]
[JsonSerializable(typeof(IncodeOnboardingUrl))]
[JsonSerializable(typeof(IncodeOnboardingStatus))]
[JsonSerializable(typeof(IncodeScore))]
[JsonSerializable(typeof(IncodeAuthenticationAttempt))]
[JsonSerializable(typeof(IncodeExecutiveLogIn))]
[JsonSerializable(typeof(IncodeExecutiveToken))]
[JsonSerializable(typeof(IncodePurge))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(SessionOwnership))]
internal sealed partial class InfrastructureJson : JsonSerializerContext;

/// <summary>The stored session file: the Node sample's format, indented by two spaces.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(StoredSession))]
internal sealed partial class SessionFileJson : JsonSerializerContext;
