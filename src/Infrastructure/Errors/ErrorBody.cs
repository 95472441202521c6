using System.Text.Json.Serialization;

namespace IncodeSlices.Infrastructure.Errors;

/// <summary>The one error shape of every route; the Incode frontends show <c>error</c> as it is.</summary>
public sealed record ErrorBody(bool Success, string Error)
{
    public static ErrorBody Of(string error) => new(false, error);
}

/// <summary>An error answer: its status and the sentence the caller sees.</summary>
public sealed record ErrorAnswer(int Status, string Error);

/// <summary>The token endpoint's error shape (RFC 6749 section 5.2): <c>error</c> is one of OAuth's codes.</summary>
public sealed record OAuthErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorDescription = null);
