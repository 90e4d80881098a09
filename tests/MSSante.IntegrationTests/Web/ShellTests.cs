using System.Net;
using Microsoft.Playwright;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.Web;

/// <summary>The web host in Chromium: demo sign-in, the French shell, a live Blazor circuit.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellTests(BrowserFixture browser, DemoWebHostFixture demo) : IClassFixture<DemoWebHostFixture>
{
    private readonly WebHost _host = demo.Host;

    [Fact]
    public async Task Blazor_script_is_served_from_the_build()
    {
        using var client = _host.CreateClient();
        using var response = await client.GetAsync("_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.True(script.Length > 100_000, $"blazor.web.js is only {script.Length} characters");
        Assert.Contains("Blazor", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_the_labelled_demo_sign_in()
    {
        await using var context = await browser.NewContextAsync(_host.BaseAddress);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/demo/connexion"));
        await Assertions.Expect(page.GetByTestId("demo-banner"))
            .ToHaveTextAsync("Connexion de démonstration — environnement de démonstration uniquement");
        Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.Locator("button[data-idnat='899700100015']")).ToContainTextAsync("Dr Jeanne MARTIN");
    }

    [Fact]
    public async Task Signed_in_practitioner_sees_identity_and_a_live_circuit_changes_the_folder()
    {
        await using var context = await browser.NewContextAsync(_host.BaseAddress);
        var page = await context.NewPageAsync();
        var errors = DemoSession.CollectErrors(page);

        await DemoSession.SignInAsync(page, "899700100015");
        var identity = page.GetByTestId("identity");
        await Assertions.Expect(identity).ToContainTextAsync("Dr Jeanne MARTIN");
        await Assertions.Expect(identity).ToContainTextAsync("Médecin généraliste");
        // The national identifier is shown masked only.
        await Assertions.Expect(identity).ToContainTextAsync("8997•••••015");
        await Assertions.Expect(identity).Not.ToContainTextAsync("899700100015");
        await Assertions.Expect(page.GetByTestId("folder-title")).ToHaveTextAsync("Boîte de réception");

        await DemoSession.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyés" }).ClickAsync();

        // Only the server, over the circuit, can change this text.
        await Assertions.Expect(page.GetByTestId("folder-title")).ToHaveTextAsync("Envoyés");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Envoyés" })).ToHaveAttributeAsync("aria-current", "true");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "shell-desktop.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Delegate_sees_the_service_mailbox_beside_her_own()
    {
        await using var context = await browser.NewContextAsync(_host.BaseAddress);
        var page = await context.NewPageAsync();

        await DemoSession.SignInAsync(page, "3990000001/SB0001");
        await DemoSession.WaitForCircuitAsync(page);

        var mailboxes = page.Locator(".mss-mailbox-name");
        await Assertions.Expect(mailboxes).ToHaveTextAsync(["sophie.bernard@ch-demo.mssante.fr", "pneumologie@ch-demo.mssante.fr"]);
        var service = page.Locator(".mss-mailbox").Filter(new() { HasText = "pneumologie@ch-demo.mssante.fr" });
        await service.GetByRole(AriaRole.Button, new() { Name = "Boîte de réception" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("mailbox-title")).ToHaveTextAsync("pneumologie@ch-demo.mssante.fr");
    }

    [Fact]
    public async Task On_a_phone_the_folders_become_a_menu()
    {
        await using var context = await browser.NewContextAsync(_host.BaseAddress, phone: true);
        var page = await context.NewPageAsync();
        await DemoSession.SignInAsync(page, "899700100023");
        await DemoSession.WaitForCircuitAsync(page);

        var folders = page.Locator("#dossiers");
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Dossiers" });
        await Assertions.Expect(folders).ToBeHiddenAsync();
        await Assertions.Expect(toggle).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "shell-phone.png") });
        // Nothing may overflow sideways at phone width.
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a 390px phone");
        await Assertions.Expect(page.GetByTestId("identity")).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeInViewportAsync();

        await toggle.ClickAsync();
        await Assertions.Expect(folders).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "shell-phone-menu.png") });
        await folders.GetByRole(AriaRole.Button, new() { Name = "Corbeille" }).First.ClickAsync();

        await Assertions.Expect(folders).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("folder-title")).ToHaveTextAsync("Corbeille");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var context = await browser.NewContextAsync(_host.BaseAddress);
        var page = await context.NewPageAsync();
        await DemoSession.SignInAsync(page, "899700100031");

        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/demo/connexion"));
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/demo/connexion"));
    }
}
