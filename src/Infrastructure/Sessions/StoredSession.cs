using System.Text;
using IncodeSlices.Infrastructure.Errors;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>What <c>/start</c> keeps of an Incode session, so that a second device can resume it.</summary>
public sealed record StoredSession(string Token, string InterviewId, string UniqueId)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("InterviewId = ").Append(InterviewId).Append(", UniqueId = ").Append(UniqueId);
        return true;
    }
}

public enum SessionLookupStatus { Found, Missing, Corrupted }

public sealed record SessionLookup(SessionLookupStatus Status, StoredSession? Session = null)
{
    public static readonly SessionLookup Missing = new(SessionLookupStatus.Missing);
    public static readonly SessionLookup Corrupted = new(SessionLookupStatus.Corrupted);
}

/// <summary>A session could not be stored; the caller gets an error instead of a uniqueId that cannot resume.</summary>
public sealed class SessionStoreException(string? detail = null, Exception? inner = null)
    : AnsweredException(ErrorAnswers.SessionNotStored, detail, inner);
