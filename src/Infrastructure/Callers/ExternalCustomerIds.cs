using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Callers;

/// <summary>
/// What Incode is told of the user who starts a session, as <c>externalCustomerId</c>: by default an
/// HMAC-SHA256 of the user keyed by CALLER_EXTERNAL_ID_KEY (Incode can tie sessions of one user together
/// without learning who the user is; the app computes the same value to ask Incode about its user).
/// </summary>
public sealed class ExternalCustomerIds(IOptions<CallerOptions> options)
{
    private readonly string _kind = options.Value.ExternalId.Trim().ToLowerInvariant();
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.ExternalIdKey ?? "");

    public string? For(Caller? caller) => caller is null ? null : _kind switch
    {
        CallerOptions.Raw => caller.User,
        CallerOptions.Hmac => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(caller.User))),
        _ => null,
    };
}
