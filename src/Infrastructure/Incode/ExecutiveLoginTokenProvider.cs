using System.Buffers.Text;
using System.Text.Json;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// Obtains the admin token by logging in with ADMIN_EMAIL and ADMIN_PASSWORD, keeps it in memory and
/// logs in again before it expires. Callers that need a token while a login is under way wait for
/// that one login. After a failed login the next one waits (30 s, doubling up to 15 min), because
/// every attempt with a wrong password counts towards locking the Incode account.
/// </summary>
internal sealed class ExecutiveLoginTokenProvider(
    IServiceProvider services, IOptions<IncodeOptions> options, TimeProvider clock, ServerMetrics metrics, ILogger<ExecutiveLoginTokenProvider> logger)
    : IAdminTokenProvider
{
    /// <summary>Incode's executive tokens last 24 hours; assumed when the token does not say when it expires.</summary>
    internal static readonly TimeSpan AssumedLifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan LongestRenewalMargin = TimeSpan.FromHours(1);
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(15);

    private readonly SemaphoreSlim _login = new(1, 1);
    private volatile HeldToken? _current;
    private volatile string? _replaced;
    private int _failures;
    private DateTimeOffset _noLoginBefore = DateTimeOffset.MinValue;

    public ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        var held = _current;
        return held is not null && clock.GetUtcNow() < held.RenewAt
            ? ValueTask.FromResult(held.Value)
            : new ValueTask<string>(RenewAsync(held, ct));
    }

    public async ValueTask<string?> ReplaceRejectedAsync(string rejected, CancellationToken ct)
    {
        // Only a token this provider handed out is renewed: a session call answered 401 stays a 401.
        // The one just replaced counts too, for the calls that were already under way with it.
        if (rejected != _current?.Value && rejected != _replaced) return null;

        await _login.WaitAsync(ct);
        try
        {
            if (_current is { } held && held.Value != rejected) return held.Value; // another call renewed it meanwhile
            _replaced = rejected;
            _current = null; // never sent again, even if the next login fails
            return await LogInAsync(held: null);
        }
        finally
        {
            _login.Release();
        }
    }

    private async Task<string> RenewAsync(HeldToken? seen, CancellationToken ct)
    {
        await _login.WaitAsync(ct);
        try
        {
            if (_current is { } held && held != seen && clock.GetUtcNow() < held.RenewAt) return held.Value;
            return await LogInAsync(_current);
        }
        finally
        {
            _login.Release();
        }
    }

    /// <summary>Called with the login lock held; a renewal that fails keeps serving <paramref name="held"/> until it expires.</summary>
    private async Task<string> LogInAsync(HeldToken? held)
    {
        var stillValid = held is not null && clock.GetUtcNow() < held.ExpiresAt ? held.Value : null;
        if (clock.GetUtcNow() < _noLoginBefore) return stillValid ?? throw new AdminTokenUnavailableException(AdminTokenProblem.LoginFailed);

        var incode = options.Value;
        try
        {
            // Resolved per login, as typed clients should be outside a request, rather than kept by this
            // singleton. The caller's token is not passed: the login serves every waiting call, and the
            // client's own timeout bounds it.
            var answer = await services.GetRequiredService<IIncodeExecutiveApi>()
                .LogInAsync(new IncodeExecutiveLogIn(incode.AdminEmail!, incode.AdminPassword!), CancellationToken.None);
            if (!SessionTokens.IsSendable(answer.Token)) throw IncodeCallException.MissingField(IncodePaths.ExecutiveLogIn, "token");

            var token = HeldToken.Obtained(answer.Token, clock.GetUtcNow());
            if (_current is { } previous) _replaced = previous.Value;
            _current = token;
            _failures = 0;
            _noLoginBefore = DateTimeOffset.MinValue;
            metrics.AdminTokenRenewed(succeeded: true);
            logger.LogInformation("Logged in to Incode as executive; the admin token is renewed after {RenewAt:u}", token.RenewAt);
            return token.Value;
        }
        catch (Exception ex) when (IncodeCallException.Find(ex) is { } failure)
        {
            _failures++;
            var pause = TimeSpan.FromTicks(Math.Min(FirstPause.Ticks << Math.Min(_failures - 1, 10), LongestPause.Ticks));
            _noLoginBefore = clock.GetUtcNow() + pause;
            metrics.AdminTokenRenewed(succeeded: false);
            logger.LogWarning("Incode admin login failed ({Failure}, status {Status}); next attempt in {PauseSeconds} s; still-valid token kept: {Kept}",
                failure.Failure, failure.Status, pause.TotalSeconds, stillValid is not null);
            return stillValid ?? throw new AdminTokenUnavailableException(AdminTokenProblem.LoginFailed);
        }
    }

    private sealed class HeldToken(string value, DateTimeOffset expiresAt, DateTimeOffset renewAt)
    {
        public string Value { get; } = value;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
        public DateTimeOffset RenewAt { get; } = renewAt;

        /// <summary>Renewed when a tenth of its life, at most an hour, is left.</summary>
        public static HeldToken Obtained(string value, DateTimeOffset now)
        {
            // An expiry this server cannot use (none, unreadable, or already past by its clock) is
            // taken as Incode's documented 24 hours; a 401 still renews a token that dies sooner.
            var expiresAt = ExpiryOf(value) is { } exp && exp > now ? exp : now + AssumedLifetime;
            var margin = TimeSpan.FromTicks(Math.Min((expiresAt - now).Ticks / 10, LongestRenewalMargin.Ticks));
            return new HeldToken(value, expiresAt, expiresAt - margin);
        }

        /// <summary>The <c>exp</c> claim of a JWT, read without checking its signature: only a hint of when to renew.</summary>
        private static DateTimeOffset? ExpiryOf(string jwt)
        {
            var parts = jwt.Split('.');
            if (parts.Length != 3) return null;
            try
            {
                using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
                return claims.RootElement.ValueKind == JsonValueKind.Object
                       && claims.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : null;
            }
            catch (Exception ex) when (ex is FormatException or JsonException or ArgumentOutOfRangeException)
            {
                return null;
            }
        }
    }
}
