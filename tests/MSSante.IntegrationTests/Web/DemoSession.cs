using Microsoft.Playwright;

namespace MSSante.IntegrationTests.Web;

/// <summary>Steps several browser tests share.</summary>
internal static class DemoSession
{
    /// <summary>Opens the webmail, lands on the demo sign-in, picks the identity, returns on the shell.</summary>
    public static async Task SignInAsync(IPage page, string idNat)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/demo/connexion"));
        await page.Locator($"button[data-idnat='{idNat}']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("identity")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the Blazor circuit has rendered the shell interactively.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        Assertions.Expect(page.GetByTestId("shell")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 20_000 });

    /// <summary>Collects what the page logs as errors (a broken blazor.web.js shows here).</summary>
    public static List<string> CollectErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
