using System.Net;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.Web;

/// <summary>The demo sign-in cannot be switched on outside the demo environment.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoSignInFenceTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Host_refuses_to_start_with_the_flag_outside_the_demo_environment(string environment)
    {
        var stack = StackInfo.Load();

        var (exitCode, output) = await WebHost.RunToExitAsync(stack, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["Demo__DevelopmentSignIn"] = "true",
        }, TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Demo:DevelopmentSignIn", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_environment_without_the_flag_offers_no_demo_sign_in()
    {
        var stack = StackInfo.Load();
        await using var host = await WebHost.StartAsync(stack, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Demo",
            ["Demo__DevelopmentSignIn"] = "false",
        });
        using var client = host.CreateClient(followRedirects: false);

        var page = await client.GetStringAsync("demo/connexion");
        Assert.Contains("La connexion de démonstration n'est pas activée", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-idnat", page, StringComparison.Ordinal);

        using var home = await client.GetAsync("");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.DoesNotContain("/demo/", home.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
    }
}
