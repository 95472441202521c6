using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncodeSlices.Tests.Features.Decisions;

/// <summary>
/// WEBHOOK_PROCESSING=durable end to end, once per store: what Incode's delivery is answered, what
/// reached Incode afterwards, and what reached the app (a WireMock receiver checking the signature).
/// Time is the test clock's: a retry or a claim comes due when a test advances it.
/// </summary>
public abstract class DecisionsContract : DurableServers
{
    protected const string ApiKey = "test-decisions-api-key-0001";
    protected static readonly TimeSpan ReconcileAfter = TimeSpan.FromSeconds(1800);

    protected DecisionsContract(Dictionary<string, string?> store) : this(store, new DecisionReceiver())
    {
    }

    private DecisionsContract(Dictionary<string, string?> store, DecisionReceiver receiver) : base(Over(store, receiver)) => Receiver = receiver;

    private static Dictionary<string, string?> Over(Dictionary<string, string?> store, DecisionReceiver receiver) => new(store)
    {
        ["DECISIONS_URL"] = receiver.Url,
        ["DECISIONS_SECRET"] = DecisionReceiver.Secret,
        ["DECISIONS_API_KEY"] = ApiKey,
        ["RECONCILE_AFTER_SECONDS"] = ReconcileAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture),
    };

    protected DecisionReceiver Receiver { get; }

    protected static HttpRequestMessage Delivery(string route, string interviewId, string status = "ONBOARDING_FINISHED") =>
        Requests.PostJson(route, $$"""{"interviewId":"{{interviewId}}","onboardingStatus":"{{status}}","clientId":"democlient"}""");

    /// <summary>
    /// Delivers as Incode does, again after a 503: on a loaded machine the test Redis can stall past
    /// the client's one-second timeout, and the server rightly answers that it did not record the delivery.
    /// </summary>
    protected static async Task<JsonObject> DeliverAsync(TestApp server, string route, string interviewId, string status = "ONBOARDING_FINISHED")
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await server.Client.SendAsync(Delivery(route, interviewId, status));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 5) continue;
            return await response.JsonAsync(HttpStatusCode.OK);
        }
    }

    protected static async Task<JsonObject> FeedAsync(TestApp server, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/decisions" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return await (await server.Client.SendAsync(request)).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Answers_a_delivery_at_once_while_Incode_is_still_scoring_it()
    {
        var release = Incode.Hold("GET", IncodePaths.Score, "score.onboarding.response");
        Incode.AnswerPayload("POST", IncodePaths.ProcessApprove, "process-approve.response");
        var server = Server();

        var answer = await DeliverAsync(server, "/approve", "slow-1");
        await Incode.WaitForArrivalsAsync(IncodePaths.Score); // answered while the score is still held
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove));
        release();
        await Receiver.WaitForAsync(1);

        Assert.True(answer["success"]!.GetValue<bool>());
        Json.AssertSame("""{"interviewId":"slow-1","onboardingStatus":"ONBOARDING_FINISHED","queued":true}""", answer["data"]!.ToJsonString());
        Incode.SingleCallTo(IncodePaths.Score).AssertIncodeHeaders(IncodeStub.AdminToken);
        var approve = Incode.SingleCallTo(IncodePaths.ProcessApprove);
        approve.AssertIncodeHeaders(IncodeStub.AdminToken);
        Assert.Equal("?interviewId=slow-1", approve.RawQuery());

        var delivery = Assert.Single(Receiver.Deliveries);
        DecisionReceiver.AssertSigned(delivery);
        var decision = JsonNode.Parse(delivery.RequestMessage.Body!)!.AsObject();
        Assert.StartsWith("dec_", decision["id"]!.GetValue<string>());
        Assert.Equal(
            """{"interviewId":"slow-1","outcome":"approved","score":"OK","identityId":"6595c84ce69d469f69ad39fb","status":"ONBOARDING_FINISHED","source":"webhook"}""",
            Without(decision, "id", "occurredAt").ToJsonString());
        Assert.Equal(decision.ToJsonString(), Assert.Single((await FeedAsync(server))["decisions"]!.AsArray())!.ToJsonString());

        var secrets = new[] { IncodeStub.ApiKey, IncodeStub.AdminToken, DecisionReceiver.Secret, ApiKey };
        server.Logs.AssertNoneContains(secrets);
        Assert.All(secrets, s => Assert.DoesNotContain(s, delivery.RequestMessage.Body!));
    }

    [Fact]
    public async Task Incode_down_then_up_approves_once_and_decides_once()
    {
        Incode.Answer("GET", IncodePaths.Score, 503, IncodePayloads.Read("error.response"));
        var server = Server();
        var worked = Collect(server, "incodeslices.decisions.deliveries_worked");

        await DeliverAsync(server, "/approve", "outage-1");
        await worked.WaitForMeasurementsAsync(1, TimeSpan.FromMinutes(1));
        Assert.Equal("retried", worked.LastMeasurement!.Tags["result"]);
        Assert.Empty(Receiver.Deliveries);

        Incode.Reset();
        Incode.AnswerAll();
        server.Clock.Advance(RetryFirst);
        await Receiver.WaitForAsync(1);

        Assert.Single(Incode.CallsTo(IncodePaths.ProcessApprove));
        Assert.Equal("approved", Assert.Single(Receiver.Decisions)["outcome"]!.GetValue<string>());
        Assert.Single((await FeedAsync(server))["decisions"]!.AsArray());
    }

    [Fact]
    public async Task The_same_delivery_again_is_answered_the_same_and_worked_once()
    {
        Incode.AnswerAll();
        var server = Server();

        var first = await DeliverAsync(server, "/webhook", "twice-1");
        var second = await DeliverAsync(server, "/webhook", "twice-1");
        await Receiver.WaitForAsync(1);

        Assert.Equal(Without(first, "timestamp").ToJsonString(), Without(second, "timestamp").ToJsonString());
        Json.AssertSame("""{"interviewId":"twice-1","onboardingStatus":"ONBOARDING_FINISHED","clientId":"democlient"}""", first["data"]!.ToJsonString());
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove));
        var decision = Assert.Single(Receiver.Decisions);
        Assert.Equal(("passed", "OK"), (decision["outcome"]!.GetValue<string>(), decision["score"]!.GetValue<string>()));
        Assert.Null(decision["identityId"]);
    }

    [Fact]
    public async Task A_delivery_answered_before_a_restart_is_worked_once_after_it()
    {
        var release = Incode.Hold("GET", IncodePaths.Score, "score.onboarding.response");
        Incode.AnswerPayload("POST", IncodePaths.ProcessApprove, "process-approve.response");
        var first = Server();
        await DeliverAsync(first, "/approve", "restart-1");
        await Incode.WaitForArrivalsAsync(IncodePaths.Score);

        first.Dispose(); // stopped while Incode was scoring
        release();
        var second = Server();
        second.Clock.Advance(Claim); // on Redis the stopped server's claim runs out first
        try
        {
            await Receiver.WaitForAsync(1);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("no decision; the servers logged:\n" + string.Join("\n", first.Logs.Lines.Concat(["--- restarted ---"]).Concat(second.Logs.Lines)));
        }

        Assert.Single(Incode.CallsTo(IncodePaths.ProcessApprove));
        Assert.Equal("approved", Assert.Single(Receiver.Decisions)["outcome"]!.GetValue<string>());
        Assert.Single((await FeedAsync(second))["decisions"]!.AsArray());
    }

    [Fact]
    public async Task A_relay_the_app_refuses_is_tried_again_with_the_same_id_and_a_new_signature()
    {
        Incode.AnswerAll();
        Receiver.Answer(500);
        var server = Server();
        var attempts = Collect(server, "incodeslices.decisions.relay_attempts");

        await DeliverAsync(server, "/webhook", "relay-1");
        await attempts.WaitForMeasurementsAsync(1, TimeSpan.FromMinutes(1));
        Receiver.Answer(200);
        server.Clock.Advance(RetryFirst);
        await Receiver.WaitForAsync(2);

        Assert.Equal(["failed", "delivered"], await WaitForResultsAsync(attempts, 2));
        var (refused, taken) = (Receiver.Deliveries[0], Receiver.Deliveries[1]);
        DecisionReceiver.AssertSigned(refused);
        DecisionReceiver.AssertSigned(taken);
        Assert.Equal(refused.RequestMessage.Body, taken.RequestMessage.Body);
        Assert.Equal(refused.Header("Incode-Slices-Event-Id"), taken.Header("Incode-Slices-Event-Id"));
        Assert.NotEqual(refused.Header("Incode-Slices-Signature"), taken.Header("Incode-Slices-Signature"));
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
    }

    [Fact]
    public async Task The_feed_pages_in_order_without_gaps_or_repeats()
    {
        Incode.AnswerAll();
        var server = Server();
        var interviews = Enumerable.Range(1, 7).Select(i => $"page-{i}").ToList();
        foreach (var interview in interviews)
            await DeliverAsync(server, "/webhook", interview);
        await Receiver.WaitForAsync(interviews.Count);

        var pages = new List<JsonArray>();
        string? cursor = null;
        while (true)
        {
            var page = await FeedAsync(server, cursor is null ? "?limit=3" : $"?limit=3&after={cursor}");
            var decisions = page["decisions"]!.AsArray();
            if (decisions.Count == 0)
            {
                Assert.Equal(cursor, page["next"]!.GetValue<string>()); // nothing new: read on from the same place
                break;
            }
            pages.Add(decisions);
            cursor = page["next"]!.GetValue<string>();
        }

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        var paged = pages.SelectMany(p => p).Select(d => d!["id"]!.GetValue<string>()).ToList();
        var whole = (await FeedAsync(server, "?limit=500"))["decisions"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(whole, paged);
        Assert.Equal(7, paged.Distinct().Count());
        Assert.Equal(interviews.Order(), pages.SelectMany(p => p).Select(d => d!["interviewId"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task A_session_whose_webhook_never_came_is_reconciled()
    {
        Incode.AnswerAll(freshSessions: true);
        var server = Server();
        var started = await (await server.Client.GetAsync("/onboarding-url")).JsonAsync(HttpStatusCode.OK);
        var interviewId = started["interviewId"]!.GetValue<string>();
        await (await server.Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var startedToo = JsonNode.Parse(Incode.CallsTo(IncodePaths.Start)[1].ResponseMessage.BodyData!.BodyAsString!)!["interviewId"]!.GetValue<string>();
        Assert.Empty(Incode.CallsTo(IncodePaths.OnboardingStatus));

        server.Clock.Advance(ReconcileAfter);
        await Receiver.WaitForAsync(2);

        var asked = Incode.CallsTo(IncodePaths.OnboardingStatus);
        Assert.All(asked, call => call.AssertIncodeHeaders(IncodeStub.AdminToken));
        Assert.Equal(new[] { $"?id={interviewId}", $"?id={startedToo}" }.Order(), asked.Select(call => call.RawQuery()).Order());
        Assert.Equal([(interviewId, "passed", "reconciled"), (startedToo, "passed", "reconciled")], Receiver.Decisions
            .Select(d => (d["interviewId"]!.GetValue<string>(), d["outcome"]!.GetValue<string>(), d["source"]!.GetValue<string>()))
            .OrderBy(d => d.Item1 == interviewId ? 0 : 1));
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove)); // RECONCILE_ACTION=score
    }

    [Fact]
    public async Task An_Incode_refusal_is_an_error_decision_and_not_tried_again()
    {
        Incode.Answer("GET", IncodePaths.Score, 404, IncodePayloads.Read("error.response"));
        var server = Server();

        await DeliverAsync(server, "/approve", "refused-1");
        await Receiver.WaitForAsync(1);

        var decision = Assert.Single(Receiver.Decisions);
        Assert.Equal(("error", "Incode /omni/get/score failed with status 404"),
            (decision["outcome"]!.GetValue<string>(), decision["reason"]!.GetValue<string>()));
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task A_delivery_Incode_keeps_failing_is_given_up_as_an_error()
    {
        Incode.Answer("GET", IncodePaths.Score, 503, IncodePayloads.Read("error.response"));
        var server = Server(("DECISION_GIVE_UP_HOURS", "1"));
        var worked = Collect(server, "incodeslices.decisions.deliveries_worked");
        var givenUp = Collect(server, "incodeslices.decisions.given_up");

        await DeliverAsync(server, "/approve", "hopeless-1");
        await worked.WaitForMeasurementsAsync(1, TimeSpan.FromMinutes(1));
        server.Clock.Advance(TimeSpan.FromHours(1));
        await Receiver.WaitForAsync(1);

        var decision = Assert.Single(Receiver.Decisions);
        Assert.Equal(("error", "Given up after 1 h: Incode /omni/get/score failed with status 503"),
            (decision["outcome"]!.GetValue<string>(), decision["reason"]!.GetValue<string>()));
        Assert.Equal("delivery", Assert.Single(givenUp.GetMeasurementSnapshot()).Tags["what"]);
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task A_decided_interview_never_goes_back()
    {
        Incode.AnswerAll();
        var server = Server();
        var worked = Collect(server, "incodeslices.decisions.deliveries_worked");

        await DeliverAsync(server, "/webhook", "forward-1");
        await Receiver.WaitForAsync(1);
        await DeliverAsync(server, "/webhook", "forward-1", "MANUAL_REVIEW_APPROVED");
        await Receiver.WaitForAsync(2);
        await DeliverAsync(server, "/approve", "forward-1"); // finished, again, after the review
        await DeliverAsync(server, "/webhook", "forward-1", "MANUAL_REVIEW_REJECTED");

        Assert.Equal(["decided", "decided", "nothing_to_decide", "nothing_to_decide"], await WaitForResultsAsync(worked, 4));
        Assert.Equal(["passed", "manual_review_approved"], Receiver.Decisions.Select(d => d["outcome"]!.GetValue<string>()));
        Assert.Single(Incode.CallsTo(IncodePaths.Score));
        Assert.Empty(Incode.CallsTo(IncodePaths.ProcessApprove));
    }

    [Fact]
    public async Task A_decision_names_the_externalCustomerId_its_session_was_started_with()
    {
        Incode.AnswerAll();
        var server = Server();
        var sessions = server.Services.GetRequiredService<ISessionStore>();
        await sessions.SaveOwnershipAsync("token-of-customer-1", new SessionOwnership("customer-1", UniqueId: null, "user-1", "ext-customer-1"), default);

        await DeliverAsync(server, "/webhook", "customer-1");
        await DeliverAsync(server, "/webhook", "no-customer-1");
        await Receiver.WaitForAsync(2);

        var decisions = Receiver.Decisions.ToDictionary(d => d["interviewId"]!.GetValue<string>());
        Assert.Equal(
            """{"interviewId":"customer-1","outcome":"passed","score":"OK","status":"ONBOARDING_FINISHED","source":"webhook","externalCustomerId":"ext-customer-1"}""",
            Without(decisions["customer-1"], "id", "occurredAt").ToJsonString());
        Assert.False(decisions["no-customer-1"].ContainsKey("externalCustomerId"));
        var fed = (await FeedAsync(server))["decisions"]!.AsArray().Select(d => d!.ToJsonString()).Order();
        Assert.Equal(Receiver.Decisions.Select(d => d.ToJsonString()).Order(), fed);
    }

    [Fact]
    public async Task An_error_decision_names_the_externalCustomerId_too()
    {
        Incode.Answer("GET", IncodePaths.Score, 404, IncodePayloads.Read("error.response"));
        var server = Server();
        await server.Services.GetRequiredService<ISessionStore>()
            .SaveOwnershipAsync("token-of-customer-2", new SessionOwnership("customer-2", UniqueId: null, "user-2", "ext-customer-2"), default);

        await DeliverAsync(server, "/webhook", "customer-2");
        await Receiver.WaitForAsync(1);

        var decision = Assert.Single(Receiver.Decisions);
        Assert.Equal(("error", "ext-customer-2"), (decision["outcome"]!.GetValue<string>(), decision["externalCustomerId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_finished_onboarding_worked_durably_forgets_the_session_token()
    {
        Incode.AnswerAll(freshSessions: true);
        var server = Server();
        var worked = Collect(server, "incodeslices.decisions.deliveries_worked");
        var started = await (await server.Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var uniqueId = started["uniqueId"]!.GetValue<string>();
        var interviewId = JsonNode.Parse(Incode.SingleCallTo(IncodePaths.Start).ResponseMessage.BodyData!.BodyAsString!)!["interviewId"]!.GetValue<string>();
        await (await server.Client.GetAsync($"/start?uniqueId={uniqueId}")).JsonAsync(HttpStatusCode.OK);

        await DeliverAsync(server, "/webhook", interviewId);
        Assert.Equal(["decided"], await WaitForResultsAsync(worked, 1)); // counted once the token is forgotten

        await (await server.Client.GetAsync($"/start?uniqueId={uniqueId}")).AssertErrorAsync(HttpStatusCode.NotFound, "Session not found");
        server.Logs.AssertNoneContains(started["token"]!.GetValue<string>());
    }

    private static async Task<List<string?>> WaitForResultsAsync(MetricCollector<long> collector, int count)
    {
        await collector.WaitForMeasurementsAsync(count, TimeSpan.FromMinutes(1));
        return collector.GetMeasurementSnapshot().Select(m => m.Tags["result"] as string).ToList();
    }

    private static JsonObject Without(JsonObject json, params string[] keys)
    {
        var copy = json.DeepClone().AsObject();
        foreach (var key in keys) copy.Remove(key);
        return copy;
    }

    protected override void DisposeMore() => Receiver.Dispose();
}

public sealed class DecisionsTests() : DecisionsContract([])
{
    [Fact]
    public async Task Answers_503_and_records_nothing_when_the_store_cannot_take_the_delivery()
    {
        Incode.AnswerAll();
        var server = Server();
        await File.WriteAllTextAsync(Path.Combine(Folder, "decision-deliveries"), "not a folder");

        var response = await server.Client.SendAsync(Delivery("/approve", "full-1"));

        await response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Storage is unavailable; retry later");
        Assert.Empty((await FeedAsync(server))["decisions"]!.AsArray());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task A_queue_that_cannot_be_opened_answers_503_and_the_server_keeps_running()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "decisions"), "not a folder");
        var server = Server();

        var response = await server.Client.SendAsync(Delivery("/approve", "unopened-1"));

        await response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "Storage is unavailable; retry later");
        await (await server.Client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(Incode.Calls);
    }
}

[Trait("Category", "Redis")]
public sealed class DecisionsOnRedisTests() : DecisionsContract(TestRedis.Settings(TestRedis.NewPrefix()))
{
    [Fact]
    public async Task A_delivery_held_by_an_instance_that_stopped_is_taken_over_by_another_after_the_claim_time()
    {
        var release = Incode.Hold("GET", IncodePaths.Score, "score.onboarding.response");
        Incode.AnswerPayload("POST", IncodePaths.ProcessApprove, "process-approve.response");
        var stopping = Server();
        await DeliverAsync(stopping, "/approve", "takeover-1");
        await Incode.WaitForArrivalsAsync(IncodePaths.Score);
        var other = Server();

        stopping.Dispose(); // holding the delivery, mid-call
        release();
        Assert.Equal(1, Incode.ArrivalsAt(IncodePaths.Score)); // still claimed: the other instance leaves it
        other.Clock.Advance(Claim);
        await Receiver.WaitForAsync(1);

        Assert.Equal(2, Incode.ArrivalsAt(IncodePaths.Score));
        Assert.Single(Incode.CallsTo(IncodePaths.ProcessApprove));
        Assert.Equal("approved", Assert.Single(Receiver.Decisions)["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Instances_sharing_one_Redis_work_each_delivery_once_and_share_one_feed()
    {
        Incode.AnswerAll();
        var (one, two) = (Server(), Server());
        var interviews = Enumerable.Range(1, 6).Select(i => $"shared-{i}").ToList();

        foreach (var (interview, i) in interviews.Select((x, i) => (x, i)))
        {
            var server = i % 2 == 0 ? one : two;
            await DeliverAsync(server, "/approve", interview);
            await DeliverAsync(i % 2 == 0 ? two : one, "/approve", interview); // the same, to the other
        }
        await Receiver.WaitForAsync(interviews.Count);

        Assert.Equal(interviews.Count, Incode.CallsTo(IncodePaths.ProcessApprove).Count);
        Assert.Equal(interviews.Order(), Receiver.Decisions.Select(d => d["interviewId"]!.GetValue<string>()).Order());
        Assert.Equal(
            (await FeedAsync(one))["decisions"]!.ToJsonString(),
            (await FeedAsync(two))["decisions"]!.ToJsonString());
    }
}
