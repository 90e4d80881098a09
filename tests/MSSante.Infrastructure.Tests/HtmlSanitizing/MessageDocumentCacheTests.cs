using System.Text;
using Microsoft.Extensions.Options;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Mime;

namespace MSSante.Infrastructure.Tests.HtmlSanitizing;

/// <summary>The reading pane's per-host cache of rendered documents.</summary>
public sealed class MessageDocumentCacheTests
{
    private static readonly byte[] Raw = Message("<p>Compte rendu <img src=\"https://imagerie.example/a.png\"></p>");

    private static byte[] Message(string html) => Encoding.UTF8.GetBytes(
        "From: labo@ch-demo.mssante.fr\r\nTo: jeanne.martin@medecin.mssante.fr\r\nSubject: CR\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n");

    private static MessageDocumentCache Cache(int megabytes = 4) =>
        new(Options.Create(new MessageDocumentCacheOptions { DocumentCacheMegabytes = megabytes }));

    private static MessageDocumentKey Key(byte[] raw, string user = "899700000001", string account = "jeanne.martin@medecin.mssante.fr",
        string folder = "INBOX", uint uid = 7, bool remote = false) =>
        MessageDocumentKey.For(user, account, folder, uid, raw, remote);

    private static Func<MessageHtmlView> Counting(byte[] raw, bool remote, List<int> calls) => () =>
    {
        calls.Add(1);
        return MessageHtmlRenderer.Render(MimeMessage.Load(raw), remote)!;
    };

    [Fact]
    public void A_second_opening_gets_the_same_document_without_sanitising_again()
    {
        using var cache = Cache();
        var calls = new List<int>();
        var first = cache.GetOrRender(Key(Raw), Counting(Raw, false, calls));
        var second = cache.GetOrRender(Key(Raw), Counting(Raw, false, calls));

        Assert.Single(calls);
        Assert.Same(first, second);
        Assert.Equal(MessageHtmlRenderer.Render(MimeMessage.Load(Raw), false)!.Document, second.Document);
        Assert.True(second.Sanitized.HasBlockedRemoteContent);
    }

    [Fact]
    public void Another_person_account_folder_uid_content_or_remote_choice_never_gets_the_cached_document()
    {
        using var cache = Cache();
        var calls = new List<int>();
        var original = cache.GetOrRender(Key(Raw), Counting(Raw, false, calls));
        var other = Message("<p>Autre message</p>");
        var variants = new[]
        {
            Key(Raw, user: "899700000002"),
            Key(Raw, account: "secretariat@ch-demo.mssante.fr"),
            Key(Raw, folder: "shared/secretariat@ch-demo.mssante.fr/INBOX"),
            Key(Raw, uid: 8),
            Key(other),
            Key(Raw, remote: true),
        };
        foreach (var key in variants)
        {
            var before = calls.Count;
            var view = cache.GetOrRender(key, Counting(key == variants[4] ? other : Raw, key.AllowRemoteContent, calls));
            Assert.Equal(before + 1, calls.Count);
            Assert.NotSame(original, view);
        }

        // The remote choice changes the document itself: the images are kept and the banner goes.
        Assert.True(cache.TryGet(Key(Raw, remote: true), out var allowed));
        Assert.False(allowed!.Sanitized.HasBlockedRemoteContent);
        Assert.Contains("https://imagerie.example/a.png", allowed.Document, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_follows_the_bytes_not_the_uid_alone()
    {
        // A UID reused for another message (folder recreated, new UIDVALIDITY) has other bytes.
        Assert.Equal(Key(Raw), Key(Raw.ToArray()));
        Assert.NotEqual(Key(Raw), Key(Message("<p>Compte rendu <img src=\"https://imagerie.example/b.png\"></p>")));
    }

    [Fact]
    public void The_cache_stays_within_its_size()
    {
        using var cache = Cache(megabytes: 1);
        var body = new StringBuilder();
        while (body.Length < 24 * 1024)
        {
            body.Append("<p style=\"color:#222\">Résultat dans les normes, contrôle dans un mois.</p>\n");
        }

        var entry = MessageDocumentCache.SizeOf(MessageHtmlRenderer.Render(MimeMessage.Load(Message(body.ToString())), false)!);
        Assert.InRange(entry, 64 * 1024, 1024 * 1024 / 8);
        for (uint uid = 1; uid <= 40; uid++)
        {
            var raw = Message(body + "<p>" + uid + "</p>");
            cache.GetOrRender(Key(raw, uid: uid), Counting(raw, false, []));
            Assert.InRange(cache.SizeBytes, 0, 1024 * 1024);
        }

        Assert.InRange(cache.Count, 1, (1024 * 1024 / entry) + 1);
    }

    [Fact]
    public void A_document_larger_than_an_eighth_of_the_cache_is_rendered_but_not_kept()
    {
        using var cache = Cache(megabytes: 1);
        var raw = Message(new string('x', 200 * 1024));
        var calls = new List<int>();
        cache.GetOrRender(Key(raw), Counting(raw, false, calls));
        cache.GetOrRender(Key(raw), Counting(raw, false, calls));
        Assert.Equal(2, calls.Count);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Size_zero_turns_the_cache_off()
    {
        using var cache = Cache(megabytes: 0);
        var calls = new List<int>();
        cache.GetOrRender(Key(Raw), Counting(Raw, false, calls));
        cache.GetOrRender(Key(Raw), Counting(Raw, false, calls));
        Assert.False(cache.Enabled);
        Assert.Equal(2, calls.Count);
        Assert.False(cache.TryGet(Key(Raw), out _));
    }
}
