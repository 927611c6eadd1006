using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.TestHost;

namespace Estimator.Host.Tests.Dashboard;

/// <summary>
/// Through TestServer a request has no remote address, so it is not local: what a remote client would get.
/// </summary>
public sealed class DashboardAuthorizationTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Dashboard_Returns401_ForARemoteRequest_ByDefault()
    {
        await using var app = await StartAsync("");
        using var client = app.GetTestClient();

        foreach (var path in new[] { "/hangfire", "/hangfire/models", "/hangfire/recurring" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.False(response.Headers.Contains("WWW-Authenticate"));
        }
    }

    [Fact]
    public async Task Root_RedirectsToTheModelsPage()
    {
        await using var app = await StartAsync("");
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hangfire/models", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Dashboard_AcceptsBasicAuth_AndRejectsWrongCredentials()
    {
        await using var app = await StartAsync("dashboard: { authorization: { basic: { username: ops, password: 'pa:ss w0rd' } } }\n");
        using var client = app.GetTestClient();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "/hangfire", Basic("ops", "pa:ss w0rd")));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "/hangfire/models", Basic("ops", "pa:ss w0rd")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "/hangfire", Basic("ops", "wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "/hangfire", Basic("root", "pa:ss w0rd")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "/hangfire", new AuthenticationHeaderValue("Basic", "not base64!")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "/hangfire", new AuthenticationHeaderValue("Bearer", "pa:ss w0rd")));

        using var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_AcceptsTheBearerToken_AndRejectsOthers()
    {
        await using var app = await StartAsync("dashboard: { authorization: { token: 'a-long-enough-token-1234' } }\n");
        using var client = app.GetTestClient();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "/hangfire/recurring", new AuthenticationHeaderValue("Bearer", "a-long-enough-token-1234")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "/hangfire/recurring", new AuthenticationHeaderValue("Bearer", "a-long-enough-token-1235")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "/hangfire/recurring", Basic("a-long-enough-token-1234", "")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(client, "/hangfire/recurring", null));
    }

    [Fact]
    public async Task Health_TellsAnUntrustedClientTheStatusAlone_AndATrustedOneTheDetails()
    {
        await using var app = await StartAsync("dashboard: { authorization: { token: 'a-long-enough-token-1234' } }\n");
        using var client = app.GetTestClient();

        using var anonymous = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var anonymousBody = await anonymous.Content.ReadAsStringAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/health", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "a-long-enough-token-1234");
        using var trusted = await client.SendAsync(request);
        var trustedBody = await trusted.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal("{\"status\":\"healthy\"}", anonymousBody);
        Assert.DoesNotContain(temp.Path, anonymousBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        Assert.Contains("\"checks\"", trustedBody, StringComparison.Ordinal);
        Assert.Contains("\"server\"", trustedBody, StringComparison.Ordinal);
    }

    private async Task<Microsoft.AspNetCore.Builder.WebApplication> StartAsync(string dashboardYaml)
    {
        var config = Estimator.Host.Configuration.EstimatorConfig.Load(TestData.CopyDemo(temp.Path, "0 0 1 1 *", dashboardYaml, seedFiles: 0));
        return await TestHosts.StartAsync(config, new FakeModelStore(config.StoreDirectory));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = authorization;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
