using System.Net;
using IncodeSlices.Features.Decisions;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WireMock.Logging;

namespace IncodeSlices.Tests.Features.Decisions;

/// <summary>
/// PURGE_PII end to end, once per store: what reached Incode (method, path, headers, the exact body of
/// Incode's purge sample) from WireMock's log, and what is left queued in the store. Time is the test
/// clock's: a purge or its retry comes due when a test advances it.
/// </summary>
public abstract class PurgeContract : DurableServers
{
    protected const string PurgeBody =
        """{"filter":{"ids":["<id>"]},"config":{"deletePiiDataOnly":true,"sendNotification":false,"relatedEntitiesToKeep":["deviceFingerPrints","stats"]}}""";
    private static readonly DateTimeOffset FarFuture = DateTimeOffset.UtcNow.AddYears(10);

    protected PurgeContract(Dictionary<string, string?> store) : base(store)
    {
    }

    protected static async Task DeliverAsync(TestApp server, string interviewId, string status = "ONBOARDING_FINISHED")
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await server.Client.SendAsync(Requests.PostJson("/webhook",
                $$"""{"interviewId":"{{interviewId}}","onboardingStatus":"{{status}}"}"""));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 5) continue;
            await response.JsonAsync(HttpStatusCode.OK);
            return;
        }
    }

    protected static async Task<List<string?>> ResultsAsync(MetricCollector<long> collector, int count)
    {
        await collector.WaitForMeasurementsAsync(count, TimeSpan.FromMinutes(1));
        // The wait ends on the server's thread that counted, inside its work: the test goes on elsewhere,
        // or a server it stops would wait for the very thread that is stopping it.
        await Task.Yield();
        return collector.GetMeasurementSnapshot().Select(m => m.Tags["result"] as string).ToList();
    }

    /// <summary>What the store still has queued for a purge, whenever due (taking it, so a test's last look).</summary>
    protected static Task<Purge?> QueuedPurgeAsync(TestApp server, DateTimeOffset? until = null) =>
        server.Services.GetRequiredService<IDecisionStore>().TakePurgeAsync(until ?? FarFuture, Claim, default);

    protected IReadOnlyList<ILogEntry> Purges => Incode.CallsTo(IncodePaths.Interviews);

    protected static void AssertPurgeOf(ILogEntry call, string interviewId)
    {
        Assert.Equal("DELETE", call.RequestMessage.Method);
        Assert.Equal(IncodePaths.Interviews, call.RequestMessage.Path);
        Assert.Equal("", call.RawQuery());
        call.AssertIncodeHeaders(IncodeStub.AdminToken);
        Assert.Equal(PurgeBody.Replace("<id>", interviewId, StringComparison.Ordinal), call.RequestMessage.Body);
    }

    private void AnswerPurges(int status) => Incode.Answer("DELETE", IncodePaths.Interviews, status, status == 200 ? "{}" : IncodePayloads.Read("error.response"));

    [Fact]
    public async Task Off_by_default_queues_no_purge_and_sends_no_DELETE()
    {
        Incode.AnswerAll();
        AnswerPurges(200);
        var server = Server(("PURGE_AFTER_HOURS", "0"));
        var worked = Collect(server, "incodeslices.decisions.deliveries_worked");

        await DeliverAsync(server, "off-1");
        Assert.Equal(["decided"], await ResultsAsync(worked, 1));

        Assert.Null(await QueuedPurgeAsync(server));
        Assert.Empty(Purges);
    }

    [Fact]
    public async Task Dry_run_logs_once_calls_nothing_and_never_queues_the_interview_again()
    {
        Incode.AnswerAll();
        AnswerPurges(200);
        var server = Server(("PURGE_PII", "dry-run"), ("PURGE_AFTER_HOURS", "1"));
        var worked = Collect(server, "incodeslices.decisions.deliveries_worked");
        var purges = Collect(server, "incodeslices.pii.purges");

        await DeliverAsync(server, "dry-1");
        await ResultsAsync(worked, 1);
        Assert.Empty(purges.GetMeasurementSnapshot()); // due an hour after the decision
        server.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["dry_run"], await ResultsAsync(purges, 1));
        await DeliverAsync(server, "dry-1", "MANUAL_REVIEW_APPROVED"); // a new decision of a purged interview
        Assert.Equal(["decided", "decided"], await ResultsAsync(worked, 2));

        Assert.Null(await QueuedPurgeAsync(server));
        Assert.Empty(Purges);
        Assert.Single(server.Logs.Lines, line => line == "Interview \"dry-1\": would purge its personal data at Incode (PURGE_PII=dry-run)");
    }

    [Fact]
    public async Task On_sends_one_DELETE_per_interview_for_duplicates_and_a_second_decision()
    {
        Incode.AnswerAll();
        AnswerPurges(200);
        var server = Server(("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "1"));
        var worked = Collect(server, "incodeslices.decisions.deliveries_worked");
        var purges = Collect(server, "incodeslices.pii.purges");

        await DeliverAsync(server, "once-1");
        await DeliverAsync(server, "once-1"); // the same delivery again
        await ResultsAsync(worked, 1); // decided before the review comes, which it would otherwise overtake
        await DeliverAsync(server, "once-1", "MANUAL_REVIEW_APPROVED");
        await DeliverAsync(server, "once-2");
        Assert.Equal(["decided", "decided", "decided"], await ResultsAsync(worked, 3));
        Assert.Empty(Purges);
        server.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(["purged", "purged"], await ResultsAsync(purges, 2));
        Assert.Null(await QueuedPurgeAsync(server));
        Assert.Equal(["once-1", "once-2"], Purges.Select(p => p.RequestMessage.Body!.Split('"')[5]).Order());
        foreach (var call in Purges) AssertPurgeOf(call, call.RequestMessage.Body!.Split('"')[5]);
        server.Logs.AssertNoneContains(IncodeStub.AdminToken, IncodeStub.ApiKey);
    }

    [Fact]
    public async Task A_later_decision_moves_a_queued_purge_later()
    {
        Incode.AnswerAll();
        var server = Server(("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "1"));
        var worked = Collect(server, "incodeslices.decisions.deliveries_worked");

        await DeliverAsync(server, "later-1");
        await ResultsAsync(worked, 1);
        var first = server.Clock.GetUtcNow();
        server.Clock.Advance(TimeSpan.FromMinutes(30));
        await DeliverAsync(server, "later-1", "MANUAL_REVIEW_REJECTED");
        await ResultsAsync(worked, 2);

        Assert.Null(await QueuedPurgeAsync(server, until: first + TimeSpan.FromMinutes(89))); // not due an hour after the first decision
        var purge = await QueuedPurgeAsync(server);
        Assert.Equal("later-1", purge?.InterviewId);
        Assert.True(purge!.Due >= first + TimeSpan.FromMinutes(90), $"due {purge.Due:O}, the first decision at {first:O}");
        Assert.Empty(Purges);
    }

    [Fact]
    public async Task A_purge_Incode_fails_with_500_is_tried_again_and_purged_once()
    {
        Incode.AnswerAll();
        AnswerPurges(500);
        var server = Server(("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "0"));
        var purges = Collect(server, "incodeslices.pii.purges");

        await DeliverAsync(server, "flaky-1");
        Assert.Equal(["retried"], await ResultsAsync(purges, 1));
        AssertPurgeOf(Assert.Single(Purges), "flaky-1");
        Incode.Reset();
        Incode.AnswerAll();
        AnswerPurges(200);
        server.Clock.Advance(RetryFirst);

        Assert.Equal(["retried", "purged"], await ResultsAsync(purges, 2));
        AssertPurgeOf(Assert.Single(Purges), "flaky-1");
        Assert.Null(await QueuedPurgeAsync(server));
    }

    [Fact]
    public async Task A_purge_Incode_refuses_with_400_is_given_up_at_once()
    {
        Incode.AnswerAll();
        AnswerPurges(400);
        var server = Server(("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "0"));
        var purges = Collect(server, "incodeslices.pii.purges");

        await DeliverAsync(server, "refused-1");

        Assert.Equal(["given_up"], await ResultsAsync(purges, 1));
        AssertPurgeOf(Assert.Single(Purges), "refused-1");
        Assert.Null(await QueuedPurgeAsync(server));
        Assert.Contains("Interview \"refused-1\": personal data not purged: \"Incode /omni/interviews failed with status 400\"; given up", server.Logs.Lines);
    }
}

public sealed class PurgeTests() : PurgeContract([])
{
    [Fact]
    public async Task A_purge_queued_before_a_restart_is_done_after_it()
    {
        Incode.AnswerAll();
        Incode.Answer("DELETE", IncodePaths.Interviews, 200, "{}");
        var first = Server(("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "1"));
        var worked = Collect(first, "incodeslices.decisions.deliveries_worked");
        await DeliverAsync(first, "restart-1");
        await ResultsAsync(worked, 1);
        first.Dispose();

        var second = Server(("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "1"));
        var purges = Collect(second, "incodeslices.pii.purges");
        second.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(["purged"], await ResultsAsync(purges, 1));
        AssertPurgeOf(Assert.Single(Purges), "restart-1");
    }
}

[Trait("Category", "Redis")]
public sealed class PurgeOnRedisTests() : PurgeContract(TestRedis.Settings(TestRedis.NewPrefix()))
{
    [Fact]
    public async Task Instances_sharing_one_Redis_purge_each_interview_once()
    {
        Incode.AnswerAll();
        Incode.Answer("DELETE", IncodePaths.Interviews, 200, "{}");
        var (one, two) = (Server(("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "0")), Server(("PURGE_PII", "on"), ("PURGE_AFTER_HOURS", "0")));
        var (purgedByOne, purgedByTwo) = (Collect(one, "incodeslices.pii.purges"), Collect(two, "incodeslices.pii.purges"));
        var interviews = Enumerable.Range(1, 6).Select(i => $"shared-purge-{i}").ToList();

        foreach (var (interview, i) in interviews.Select((x, i) => (x, i)))
        {
            await DeliverAsync(i % 2 == 0 ? one : two, interview);
            await DeliverAsync(i % 2 == 0 ? two : one, interview); // the same, to the other
            await DeliverAsync(i % 2 == 0 ? one : two, interview, "MANUAL_REVIEW_APPROVED");
        }
        await Eventually.HoldsAsync(() => purgedByOne.GetMeasurementSnapshot().Count + purgedByTwo.GetMeasurementSnapshot().Count >= interviews.Count,
            "every interview purged");

        Assert.All(purgedByOne.GetMeasurementSnapshot().Concat(purgedByTwo.GetMeasurementSnapshot()), m => Assert.Equal("purged", m.Tags["result"]));
        Assert.Equal(interviews.Order(), Purges.Select(p => p.RequestMessage.Body!.Split('"')[5]).Order());
        Assert.Null(await QueuedPurgeAsync(one));
    }
}
