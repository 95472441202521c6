using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Infrastructure.Callers;

/// <summary>The app's user a request comes from, as its access token says; <see cref="IsAdmin"/>: the back office.</summary>
public sealed record Caller(string User, bool IsAdmin)
{
    /// <summary>The caller the request was authenticated as, or null (caller authentication off, or an open route).</summary>
    public static Caller? Of(HttpContext context) => context.Features.Get<Caller>();

    /// <summary>Whether this caller may see a session that <paramref name="owner"/> started (null: nobody known).</summary>
    public bool MaySee(string? owner) => IsAdmin || (owner is not null && string.Equals(owner, User, StringComparison.Ordinal));
}
