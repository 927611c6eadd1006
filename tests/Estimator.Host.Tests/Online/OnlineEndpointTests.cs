using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Estimator.Host.Configuration;
using Estimator.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Estimator.Host.Tests.Online;

/// <summary>The online endpoints' contract: status codes, bodies, all-or-nothing validation, limits and authorization.</summary>
public sealed class OnlineEndpointTests : IDisposable
{
    private const string Token = "online-token-0123456789";
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    private async Task<(WebApplication App, HttpClient Http)> StartAsync(int window, string onlineExtra = "")
    {
        var config = EstimatorConfig.Load(OnlineTestData.WriteConfig(temp.Path, window, onlineExtra));
        var app = await TestHosts.StartAsync(config, null, "http://127.0.0.1:0");
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(60) };
        return (app, http);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task PostPredictions_MalformedRow_Is400NamingRowAndField_AndAppliesNothing()
    {
        var (app, http) = await StartAsync(1000);
        await using var _ = app;
        using var __ = http;
        var good = await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(0, 10)));
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        var accepted = await JsonAsync(good);
        Assert.Equal((10, 10L), (accepted.GetProperty("accepted").GetInt32(), accepted.GetProperty("rows_seen").GetInt64()));

        // Row 2 lacks its prediction; rows 0 and 1 are fine but must not be applied either.
        var body = """
            [{"id": "a", "y_pred_proba": 0.5, "y_pred": 1, "timestamp": "2024-01-01T00:00:00Z"},
             {"id": 7, "y_pred_proba": 0.25, "y_pred": 0, "timestamp": "2024-01-01T00:00:01Z", "car_value": 1234},
             {"id": "c", "y_pred_proba": 0.5, "timestamp": "2024-01-01T00:00:02Z"}]
            """;
        var bad = await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = await JsonAsync(bad);
        Assert.Equal((2, "y_pred"), (error.GetProperty("row").GetInt32(), error.GetProperty("field").GetString()));

        var outOfRange = await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json("""[{"id": 1, "y_pred_proba": 1.5, "y_pred": 1, "timestamp": "2024-01-01T00:00:00Z"}]"""));
        var rangeError = await JsonAsync(outOfRange);
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Equal((0, "y_pred_proba"), (rangeError.GetProperty("row").GetInt32(), rangeError.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json("{\"id\": 1}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json("[{\"id\": 1,"))).StatusCode);

        var online = await JsonAsync(await http.GetAsync("/v1/models/car_loan/online"));
        Assert.Equal(10, online.GetProperty("rows_seen").GetInt64());
        Assert.Equal(10, online.GetProperty("window_rows").GetInt32());

        // A plain CBPE model's window is estimated incrementally by CBPE itself.
        Assert.Equal("cbpe", online.GetProperty("estimator").GetString());
        Assert.Equal(JsonValueKind.Null, online.GetProperty("effective_sample_size").ValueKind);
        Assert.Equal(JsonValueKind.Null, online.GetProperty("estimator_reason").ValueKind);
    }

    [Fact]
    public async Task Endpoints_Answer404_ForAnUnknownModel_And413_ForAnOversizedBody()
    {
        var (app, http) = await StartAsync(1000, ", max_body_bytes: 2000");
        await using var _ = app;
        using var __ = http;
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/v1/models/nope/predictions", OnlineTestData.Json("[]"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/models/nope/online")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/models/nope/verdict")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(0, 100)))).StatusCode);

        // A chunked body (no Content-Length) is cut off once it passes the limit.
        var chunked = new StreamContent(new MemoryStream(OnlineTestData.Body(0, 100)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/car_loan/predictions") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(0, 5)))).StatusCode);
    }

    [Fact]
    public async Task PostPredictions_Answers429_WhenMoreRequestsThanMaxInFlight_AndTheHeldOneStillLands()
    {
        var (app, http) = await StartAsync(1000, ", max_in_flight: 1");
        await using var _ = app;
        using var __ = http;
        // Until the window is rebuilt from the store every post waits, and whichever waiter resumes first takes the
        // permit: the held request must arrive once the model is ready, or another post may win it and refuse it.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/models/car_loan/online")).StatusCode);
        await using var held = await HeldPost.StartAsync(http.BaseAddress!, "/v1/models/car_loan/predictions", OnlineTestData.Body(0, 20));

        // The held request keeps the one permit while its body trickles in. When the server has read its headers
        // depends on the machine's load, so other posts are tried until one is refused, for up to 30 s; an accepted
        // try only re-posts the same five rows.
        HttpResponseMessage? refused = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (refused?.StatusCode != HttpStatusCode.TooManyRequests && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            refused = await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(20, 5)));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, refused!.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null);
        Assert.Equal(StatusCodes.Status202Accepted, await held.FinishAsync());
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(20, 5)))).StatusCode);
    }

    [Fact]
    public async Task Posting_FromAnotherMachine_Needs401TheModelsBearerToken()
    {
        // TestServer requests carry no remote address: they count as remote.
        var config = EstimatorConfig.Load(OnlineTestData.WriteConfig(temp.Path, 100, $", token: {Token}"));
        await using var app = await TestHosts.StartAsync(config, null);
        using var http = app.GetTestClient();
        var anonymous = await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(0, 5)));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/models/car_loan/verdict")).StatusCode);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(0, 5)))).StatusCode);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(0, 5)))).StatusCode);
        var verdict = await JsonAsync(await http.GetAsync("/v1/models/car_loan/verdict"));
        Assert.Equal("inconclusive", verdict.GetProperty("verdict").GetString());
        Assert.Equal("the window holds 5 of 100 rows", Assert.Single(verdict.GetProperty("reasons").EnumerateArray()).GetString());
        Assert.Equal((HttpStatusCode)425, (await http.GetAsync("/v1/models/car_loan/verdict?gate=pass")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/models/car_loan/verdict?gate=fail")).StatusCode);
    }

    [Fact]
    public async Task PostLabels_AreJoinedToTheClosedChunkByReconciliation()
    {
        var (app, http) = await StartAsync(200);
        await using (app)
        using (http)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(0, 250)))).StatusCode);

            // Labels for the first chunk's rows (car-loan's own targets), one malformed batch refused first.
            var ids = OnlineTestData.CarLoan.Ids;
            var byId = Enumerable.Range(0, 200).ToDictionary(r => ids[r], r => OnlineTestData.CarLoan.Targets[r]);
            var bad = await http.PostAsync("/v1/models/car_loan/labels", OnlineTestData.Json("""[{"id": "0", "repaid": 1}, {"id": "1", "repaid": 3}]"""));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal((1, "repaid"), ((await JsonAsync(bad)).GetProperty("row").GetInt32(), (await JsonAsync(bad)).GetProperty("field").GetString()));
            var labels = "[" + string.Join(",", ids.Take(200).Select(id => $$"""{"id": "{{id}}", "repaid": {{byId[id]}}}""")) + "]";
            var posted = await http.PostAsync("/v1/models/car_loan/labels", OnlineTestData.Json(labels));
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            Assert.Equal(200, (await JsonAsync(posted)).GetProperty("accepted").GetInt32());
            Assert.Single(Directory.GetFiles(Path.Combine(temp.Path, "store", "car_loan", "online", "labels"), "*.parquet"));

            var runner = new ModelRunner(Path.Combine(temp.Path, "store"));
            await TestHosts.WaitUntilAsync(
                () => runner.ReadEstimates("car_loan").Any(r => r.Period == "analysis" && r.ChunkIndex == 0 && r.Metric == "accuracy" && r.Realized is not null),
                TimeSpan.FromSeconds(60),
                "the realized accuracy of chunk 0");
            var realized = runner.ReadEstimates("car_loan").Single(r => r.Period == "analysis" && r.ChunkIndex == 0 && r.Metric == "accuracy").Realized!.Value;
            var expected = ids.Take(200).Select((id, i) => OnlineTestData.CarLoan.Predictions[i] == byId[id] ? 1.0 : 0.0).Average();
            Assert.Equal(expected, realized, 12);
        }
    }

    [Fact]
    public async Task Restart_RebuildsTheWindowFromTheStore()
    {
        string before;
        var (app, http) = await StartAsync(300);
        await using (app)
        using (http)
        {
            for (var start = 0; start < 1_150; start += 230)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(start, 230)))).StatusCode);
            }

            before = await (await http.GetAsync("/v1/models/car_loan/online")).Content.ReadAsStringAsync();
        }

        var (again, http2) = await StartAsync(300);
        await using (again)
        using (http2)
        {
            var after = await JsonAsync(await http2.GetAsync("/v1/models/car_loan/online"));
            var expected = JsonDocument.Parse(before).RootElement;
            Assert.Equal(1_150, after.GetProperty("rows_seen").GetInt64());
            Assert.Equal(300, after.GetProperty("window_rows").GetInt32());
            // The rebuilt window sums its rows afresh: equal up to the running sums' rounding.
            foreach (var metric in expected.GetProperty("metrics").EnumerateObject())
            {
                foreach (var field in metric.Value.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Number))
                {
                    Assert.Equal(field.Value.GetDouble(), after.GetProperty("metrics").GetProperty(metric.Name).GetProperty(field.Name).GetDouble(), 1e-12);
                }

                Assert.Equal(metric.Value.GetProperty("alert").GetBoolean(), after.GetProperty("metrics").GetProperty(metric.Name).GetProperty("alert").GetBoolean());
            }
        }
    }
}
