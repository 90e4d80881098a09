using Microsoft.Playwright;
using MSSante.IntegrationTests.Support;
using MSSante.IntegrationTests.Web;

namespace MSSante.IntegrationTests.NationalDirectory;

/// <summary>A webmail whose database never received the national directory says so on /annuaire.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DirectoryEmptyTests(BrowserFixture browser, DemoWebHostFixture demo) : IClassFixture<DemoWebHostFixture>
{
    [Fact]
    public async Task The_directory_page_explains_that_the_directory_was_not_imported()
    {
        await using var context = await browser.NewContextAsync(demo.Host.BaseAddress);
        var page = await context.NewPageAsync();
        await DemoSession.SignInAsync(page, "899700100015");

        await page.GotoAsync("annuaire?q=martin");
        await page.Locator("[data-testid=directory-page][data-ready=true]").WaitForAsync();

        await Assertions.Expect(page.Locator("[data-testid=directory-empty]")).ToContainTextAsync("n'a pas encore été importé");
        Assert.Equal(0, await page.Locator("[data-testid=directory-nomatch]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=directory-entry]").CountAsync());
        await Assertions.Expect(page.Locator("[data-testid=directory-q]")).ToHaveValueAsync("martin");
    }
}
