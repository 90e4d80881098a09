using MSSante.Infrastructure.HtmlSanitizing;

namespace MSSante.Infrastructure.Tests.HtmlSanitizing;

/// <summary>Every message of the hostile corpus, through the reading pane's own path.</summary>
public sealed class HostileCorpusTests
{
    public static TheoryData<string> Corpus() => HostileCorpus.All();

    [Fact]
    public void The_corpus_holds_at_least_150_hostile_messages()
    {
        Assert.True(HostileCorpus.Names.Count() >= 150, $"only {HostileCorpus.Names.Count()} messages in {HostileCorpus.Directory}");
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Blocked_view_has_no_script_no_handler_no_dangerous_url_and_no_remote_load(string name)
    {
        var view = MessageHtmlRenderer.Render(HostileCorpus.Load(name), allowRemoteContent: false);
        Assert.NotNull(view);
        SafetyAssertions.AssertSafe(view.Sanitized.Html, remoteAllowed: false, name);
        SafetyAssertions.AssertStable(view.Sanitized, new HtmlSanitizerOptions(), name);
        Assert.Contains("default-src 'none'", view.Document, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Allowing_remote_content_never_allows_scripts(string name)
    {
        var view = MessageHtmlRenderer.Render(HostileCorpus.Load(name), allowRemoteContent: true);
        Assert.NotNull(view);
        SafetyAssertions.AssertSafe(view.Sanitized.Html, remoteAllowed: true, name);
        SafetyAssertions.AssertStable(view.Sanitized, new HtmlSanitizerOptions { AllowRemoteContent = true }, name);
        Assert.Contains("script-src 'none'", view.Document, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("remote-img")]
    [InlineData("css-background-remote")]
    [InlineData("css-style-block-remote")]
    [InlineData("remote-background-attribute")]
    [InlineData("remote-img-entity-scheme")]
    [InlineData("remote-img-uppercase-scheme")]
    [InlineData("remote-img-whitespace")]
    [InlineData("remote-image-tag")]
    public void Remote_images_are_counted_when_blocked_and_kept_when_allowed(string name)
    {
        var message = HostileCorpus.Load(name);
        var blocked = MessageHtmlRenderer.Render(message, allowRemoteContent: false)!;
        Assert.True(blocked.Sanitized.BlockedRemoteResources > 0, name + ": nothing counted, the banner would not show");
        Assert.DoesNotContain(HostileCorpus.SentinelOrigin, blocked.Sanitized.Html);

        var allowed = MessageHtmlRenderer.Render(message, allowRemoteContent: true)!;
        Assert.Equal(0, allowed.Sanitized.BlockedRemoteResources);
        Assert.Contains(HostileCorpus.SentinelOrigin, allowed.Sanitized.Html);
        Assert.Contains("img-src data: cid: http: https:", allowed.Document, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cve-2024-37383-animate-href-space")]
    [InlineData("cve-2023-5631-svg-use-data-tab")]
    [InlineData("svg-animate-href")]
    [InlineData("svg-use-data")]
    [InlineData("mathml-maction")]
    public void Svg_and_mathml_leave_nothing_behind_but_text(string name)
    {
        var html = MessageHtmlRenderer.Render(HostileCorpus.Load(name), allowRemoteContent: true)!.Sanitized.Html;
        Assert.DoesNotContain("<svg", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<math", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("animate", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("url-javascript-tab")]
    [InlineData("url-javascript-entities-no-semicolon")]
    [InlineData("url-javascript-leading-control")]
    [InlineData("url-javascript-named-newline")]
    [InlineData("url-relative-webmail-route")]
    [InlineData("url-protocol-relative")]
    [InlineData("url-backslash-host")]
    public void Obfuscated_or_relative_links_lose_their_target_but_keep_their_text(string name)
    {
        var html = MessageHtmlRenderer.Render(HostileCorpus.Load(name), allowRemoteContent: false)!.Sanitized.Html;
        Assert.Contains("<a id=\"lien\">Ouvrir le compte rendu</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Cve_2024_42009_attribute_text_stays_an_inert_attribute_value()
    {
        var html = MessageHtmlRenderer.Render(HostileCorpus.Load("cve-2024-42009-body-attribute-smuggling"), false)!.Sanitized.Html;
        // The body's title and name are dropped with the body tag; only the text remains.
        Assert.Contains("Compte rendu", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onanimationstart", html, StringComparison.Ordinal);
        Assert.DoesNotContain("animation-name", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_markup_stays_visible_text()
    {
        var html = MessageHtmlRenderer.Render(HostileCorpus.Load("script-entity-tag"), false)!.Sanitized.Html;
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("escaped text must stay text", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_window_overlay_loses_its_position()
    {
        var html = MessageHtmlRenderer.Render(HostileCorpus.Load("css-position-fixed"), false)!.Sanitized.Html;
        Assert.Contains("Votre session a expiré", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fixed", html, StringComparison.Ordinal);
        Assert.Contains("background: #fff", html, StringComparison.Ordinal);
    }
}
