using System.Net;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Start;

/// <summary>What /start promises whichever store keeps the sessions; run once per store.</summary>
public abstract class StartContract<TFixture>(TFixture app) : AppTests<TFixture>(app) where TFixture : IncodeApp
{
    [Fact]
    public async Task Creates_a_session_and_answers_token_and_uniqueId_only()
    {
        Incode.AnswerAll();

        var body = await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["token", "uniqueId"], body.Select(p => p.Key));
        Assert.Equal(IncodeStub.StartAnswer["token"]!.GetValue<string>(), body["token"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", body["uniqueId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sends_omni_start_with_the_flow_and_language_and_no_session_header()
    {
        Incode.AnswerAll();

        await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        var call = Incode.SingleCallTo(IncodePaths.Start);
        Assert.Equal("POST", call.RequestMessage.Method);
        Assert.Equal("", call.RawQuery());
        call.AssertIncodeHeaders(hardwareId: null);
        Json.AssertSame($$"""{"configurationId":"{{IncodeStub.FlowId}}","language":"en-US"}""", call.RequestMessage.Body!);
        Assert.Single(Incode.Calls);
    }

    [Theory]
    [InlineData("uniqueId")]
    [InlineData("uuid")]
    public async Task Resumes_a_stored_session_without_calling_Incode(string parameter)
    {
        Incode.AnswerAll();
        var started = await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        Incode.Reset();

        var resumed = await (await Client.GetAsync($"/start?{parameter}={started["uniqueId"]}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(started.ToJsonString(), resumed.ToJsonString());
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task An_empty_uniqueId_starts_a_new_session()
    {
        Incode.AnswerAll();

        await (await Client.GetAsync("/start?uniqueId=")).JsonAsync(HttpStatusCode.OK);

        Assert.Single(Incode.CallsTo(IncodePaths.Start));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..%2f..%2fetc%2fpasswd")]
    [InlineData("not-a-uuid")]
    [InlineData("3f2b8c1e-9d4a-4c7b-8e21-5a6f0d9c4b7e")] // canonical, but never stored
    [InlineData("3f2b8c1e9d4a4c7b8e215a6f0d9c4b7e")]
    public async Task Refuses_an_id_that_names_no_stored_session(string uniqueId)
    {
        var response = await Client.GetAsync($"/start?uniqueId={uniqueId}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid uniqueId");
        Assert.Empty(Incode.Calls);
    }

    [Fact]
    public async Task Refuses_the_upper_case_twin_of_a_stored_id()
    {
        Incode.AnswerAll();
        var started = await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        var response = await Client.GetAsync($"/start?uniqueId={started["uniqueId"]!.GetValue<string>().ToUpperInvariant()}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Invalid uniqueId");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    public async Task Returns_502_naming_the_call_when_Incode_fails(int status)
    {
        Incode.Answer("POST", IncodePaths.Start, status, IncodePayloads.Read("error.response"));

        var response = await Client.GetAsync("/start");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, $"Incode /omni/start failed with status {status}");
        Assert.Single(Incode.CallsTo(IncodePaths.Start)); // a POST is never retried: each one is a billable session
    }

    [Fact]
    public async Task Returns_504_when_Incode_is_too_slow()
    {
        Incode.Stall("POST", IncodePaths.Start);

        var response = await App.OutwaitIncodeAsync(new HttpRequestMessage(HttpMethod.Get, "/start"), IncodePaths.Start);

        await response.AssertErrorAsync(HttpStatusCode.GatewayTimeout, "Incode /omni/start did not answer in time");
    }

    [Fact]
    public async Task Returns_502_when_Incode_answers_without_a_token()
    {
        Incode.Answer("POST", IncodePaths.Start, 200, """{"interviewId":"abc"}""");

        var response = await Client.GetAsync("/start");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/start answered without token");
    }

    [Fact]
    public async Task Returns_502_when_Incode_answers_something_that_is_not_JSON()
    {
        Incode.Answer("POST", IncodePaths.Start, 200, "<html>gateway</html>");

        var response = await Client.GetAsync("/start");

        await response.AssertErrorAsync(HttpStatusCode.BadGateway, "Incode /omni/start answered with a body that is not the JSON expected");
    }
}

public sealed class StartTests(IncodeApp app) : StartContract<IncodeApp>(app);

[Trait("Category", "Redis")]
public sealed class StartOnRedisTests(RedisIncodeApp app) : StartContract<RedisIncodeApp>(app);

/// <summary>The file store keeps the Node sample's session files readable both ways.</summary>
public sealed class StartFileStoreTests(IncodeApp app) : AppTests<IncodeApp>(app)
{
    [Fact]
    public async Task Sweeps_temporary_leftovers_at_start_up_and_keeps_the_folder_private()
    {
        using var fresh = IncodeApp.With(new Dictionary<string, string?>());
        Directory.CreateDirectory(fresh.SessionsDir);
        var leftover = Path.Combine(fresh.SessionsDir, ".0b7f6a52-3c1d-4e8f-9a2b-6c5d4e3f2a1b.4f1c.tmp");
        await File.WriteAllTextAsync(leftover, "{\"token\": \"half");
        fresh.Incode.AnswerAll();

        _ = fresh.Client; // starts the server, which sweeps its folder in the background, a few seconds later
        Assert.True(File.Exists(leftover), "swept before the first answers: start-up must not wait for the store");
        await Eventually.HoldsAsync(() =>
        {
            fresh.Clock.Advance(IncodeSlices.Infrastructure.Storage.StoreSweep.FirstAfter);
            return !File.Exists(leftover);
        }, "the leftover is swept");

        Directory.Delete(fresh.SessionsDir, recursive: true); // let the store create the folder itself
        await (await fresh.Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fresh.SessionsDir));
        Assert.All(Directory.EnumerateFiles(fresh.SessionsDir), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task Stores_the_session_in_the_reference_file_format()
    {
        Incode.AnswerAll();

        var body = await (await Client.GetAsync("/start")).JsonAsync(HttpStatusCode.OK);
        var uniqueId = body["uniqueId"]!.GetValue<string>();

        var file = await File.ReadAllTextAsync(Path.Combine(App.SessionsDir, uniqueId + ".json"));
        var start = IncodeStub.StartAnswer;
        Assert.Equal($$"""
            {
              "token": "{{start["token"]}}",
              "interviewId": "{{start["interviewId"]}}",
              "uniqueId": "{{uniqueId}}"
            }
            """, file);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(App.SessionsDir, uniqueId + ".json")));
    }

    [Fact]
    public async Task Answers_session_data_corrupted_for_an_unreadable_file()
    {
        const string uniqueId = "0b7f6a52-3c1d-4e8f-9a2b-6c5d4e3f2a1b";
        Directory.CreateDirectory(App.SessionsDir);
        await File.WriteAllTextAsync(Path.Combine(App.SessionsDir, uniqueId + ".json"), "{\"token\": \"trunc");

        var response = await Client.GetAsync($"/start?uniqueId={uniqueId}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "Session data corrupted");
    }

    [Fact]
    public async Task Resumes_a_session_file_written_by_the_Node_sample()
    {
        const string uniqueId = "5d0c4f7e-8a1b-4c2d-9e3f-a4b5c6d7e8f9";
        Directory.CreateDirectory(App.SessionsDir);
        await File.WriteAllTextAsync(Path.Combine(App.SessionsDir, uniqueId + ".json"), $$"""
            {
              "token": "node-token",
              "interviewId": "abc",
              "uniqueId": "{{uniqueId}}"
            }
            """);

        var body = await (await Client.GetAsync($"/start?uniqueId={uniqueId}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal($$"""{"token":"node-token","uniqueId":"{{uniqueId}}"}""", body.ToJsonString());
    }
}
