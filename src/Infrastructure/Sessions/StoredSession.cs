using System.Text;
using System.Text.Json.Serialization;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>What <c>/start</c> keeps of an Incode session, so that a second device can resume it.</summary>
/// <param name="User">The app's user who started it (caller authentication on); not written when null, so the file stays the Node sample's.</param>
public sealed record StoredSession(
    string Token,
    string InterviewId,
    string UniqueId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? User = null)
{
    /// <summary>
    /// A finished session, its token forgotten: what is left of it until its lifetime ends, so that a
    /// resume is told it finished (404) rather than that the id is unknown (400).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Finished { get; init; }

    public static StoredSession Forgotten(SessionOwnership ownership) =>
        new("", ownership.InterviewId, ownership.UniqueId!, ownership.User) { Finished = true };

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId).Append(", UniqueId = ").Append(UniqueId);
        if (User is not null) builder.Append(", User = ").Append(User);
        if (Finished) builder.Append(", Finished = true");
        return true;
    }
}
