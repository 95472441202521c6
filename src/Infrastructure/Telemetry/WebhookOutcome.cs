namespace IncodeSlices.Infrastructure.Telemetry;

/// <summary>How a webhook delivery ended, as <see cref="ServerMetrics.WebhookDelivered"/> counts it.</summary>
public enum WebhookOutcome
{
    /// <summary>Acknowledged with the payload echoed back; nothing else to do for its status.</summary>
    Echoed,
    /// <summary>/approve: the score was OK and Incode created the identity.</summary>
    Approved,
    /// <summary>The score was not OK: /approve created no identity, /webhook logged it.</summary>
    NotPassed,
    /// <summary>/webhook: the score was OK, and logged.</summary>
    Passed,
    /// <summary>/webhook: the score could not be fetched; logged, and acknowledged all the same.</summary>
    ScoreUnavailable,
    /// <summary>/approve: a redelivery, answered with the outcome an earlier delivery recorded.</summary>
    Duplicate,
    /// <summary>Refused before the body was read: the sender did not prove it is Incode.</summary>
    Refused,
    /// <summary>WEBHOOK_PROCESSING=durable: recorded, to be worked in the background.</summary>
    Queued,
}
