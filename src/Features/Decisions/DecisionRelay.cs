using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// Posts a decision to DECISIONS_URL, signed, until the app answers 2xx: each attempt with the same id
/// and body, a new timestamp and signature; a failed one tried again with backoff, until
/// DECISION_GIVE_UP_HOURS after the decision. At least once: the app dedupes on the id.
/// </summary>
internal sealed class DecisionRelay(
    IHttpClientFactory clients, IDecisionStore store, IOptions<DecisionOptions> options, TimeProvider clock, ServerMetrics metrics,
    ILogger<DecisionRelay> logger)
{
    public const string Client = "decisions-relay";
    public const string EventIdHeader = "Incode-Slices-Event-Id";
    public const string SignatureHeader = "Incode-Slices-Signature";

    private readonly DecisionOptions _options = options.Value;

    public async Task RelayAsync(FeedEntry entry, CancellationToken ct)
    {
        var id = IdOf(entry.Json);
        var failure = await SendAsync(entry, id, ct);
        if (failure is null)
        {
            logger.LogInformation("Decision {DecisionId} relayed", id);
            metrics.RelayAttempted("delivered");
            try
            {
                await store.EndRelayAsync(entry.Sequence, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Sent again later: at least once, and the app dedupes on the id.
                logger.LogWarning("Decision {DecisionId}: relay not marked done ({Reason})", id, ex.GetType().Name);
                await store.RetryRelayAsync(entry.Sequence, clock.GetUtcNow() + _options.RetryFirst, ct);
            }
            return;
        }

        var now = clock.GetUtcNow();
        var elapsed = now - (entry.OccurredAt() ?? now);
        if (elapsed >= _options.GiveUp)
        {
            metrics.DecisionGivenUp("relay");
            logger.LogWarning("Decision {DecisionId} not relayed: {Reason}; given up after {Hours} hours", id, failure, _options.GiveUpHours);
            await store.EndRelayAsync(entry.Sequence, ct);
            metrics.RelayAttempted("failed");
            return;
        }
        var wait = _options.Backoff(elapsed);
        logger.LogWarning("Decision {DecisionId} not relayed: {Reason}; trying again in {Seconds} s", id, failure, (int)wait.TotalSeconds);
        await store.RetryRelayAsync(entry.Sequence, now + wait, ct);
        metrics.RelayAttempted("failed"); // counted once the retry is scheduled
    }

    /// <summary>Null when the app took it; else why not, in words without the URL (it may carry credentials).</summary>
    private async Task<string?> SendAsync(FeedEntry entry, string id, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(entry.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url!.Trim()) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(EventIdHeader, id);
        request.Headers.TryAddWithoutValidation(SignatureHeader, Signature(_options.Secret!, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        try
        {
            using var response = await clients.CreateClient(Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode ? null : $"the app answered {(int)response.StatusCode}";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return "the app did not answer in time";
        }
        catch (HttpRequestException ex)
        {
            return $"the app could not be reached ({ex.HttpRequestError})";
        }
    }

    /// <summary><c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>, as Stripe and Persona sign theirs.</summary>
    public static string Signature(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        var signed = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t + ".", signed);
        body.CopyTo(signed.AsSpan(t.Length + 1));
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    private static string IdOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("id").GetString() ?? "";
    }
}
