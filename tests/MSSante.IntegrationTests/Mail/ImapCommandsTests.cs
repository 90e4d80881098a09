using System.Text;
using MSSante.Mail;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.Mail;

/// <summary>Every IMAP command of the issue against the stack's real Dovecot, in a throwaway folder.</summary>
public sealed class ImapCommandsTests
{
    private const string User = "marc.petit@infirmier.mssante.fr";

    internal static byte[] Message(string subject, string body, string? messageId = null) => Encoding.UTF8.GetBytes(
        $"From: Dr Paul DURAND <paul.durand@ch-demo.mssante.fr>\r\nTo: <{User}>\r\nSubject: {subject}\r\nDate: Mon, 10 Mar 2025 10:00:00 +0100\r\nMessage-ID: <{messageId ?? Guid.NewGuid().ToString("N")}@ch-demo.mssante.fr>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n--b1\r\nContent-Type: application/pdf; name=\"cr.pdf\"\r\nContent-Disposition: attachment; filename=\"cr.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n");

    [Fact]
    public async Task Every_command_works_against_dovecot()
    {
        var stack = MailStack.Get();
        var client = await stack.ImapAsync(User);
        var root = "Tests-" + Guid.NewGuid().ToString("N")[..8];
        var folder = root + "/Résultats d'été";
        try
        {
            Assert.True(client.IsEncrypted);
            Assert.Contains("QRESYNC", client.Capabilities); // refreshed after login
            var id = await client.IdAsync(new Dictionary<string, string?> { ["name"] = "MSSante Webmail" });
            Assert.Contains("name", id.Keys);
            var enabled = await client.EnableAsync(["CONDSTORE", "QRESYNC"]);
            Assert.Contains("QRESYNC", enabled);
            var ns = await client.GetNamespacesAsync();
            Assert.Contains(ns.OtherUsers.Concat(ns.Shared), n => n.Prefix == "shared/");

            await client.CreateMailboxAsync(folder);
            await client.SubscribeAsync(folder);
            var list = await client.ListAsync("", root + "/*", new ImapListOptions { Status = ImapStatusItems.Messages | ImapStatusItems.UidNext, ReturnSubscribed = true });
            var created = Assert.Single(list);
            Assert.Equal(folder, created.Name); // decoded from modified UTF-7
            Assert.Contains("&AOk-", created.EncodedName, StringComparison.Ordinal);
            Assert.Contains("\\Subscribed", created.Attributes);
            Assert.Equal(0u, created.Status!.Messages);
            var special = await client.ListAsync("", "*", new ImapListOptions { SpecialUseOnly = true });
            Assert.Contains(special, m => m.SpecialUse == "\\Sent");
            var subscribed = await client.ListAsync("", root + "/*", new ImapListOptions { SubscribedOnly = true });
            Assert.Single(subscribed);
            await client.UnsubscribeAsync(folder);

            var renamed = root + "/Comptes rendus";
            await client.RenameMailboxAsync(folder, renamed);
            folder = renamed;

            var date = new DateTimeOffset(2025, 3, 10, 10, 0, 0, TimeSpan.FromHours(1));
            var a1 = await client.AppendAsync(folder, Message("Bilan sanguin", "Hémoglobine normale, créatinine élevée."), [ImapFlags.Seen], date);
            var a2 = await client.AppendAsync(folder, Message("Re: Bilan sanguin", "Merci, vu."), null, date.AddHours(1));
            var a3 = await client.AppendAsync(folder, Message("Compte rendu de consultation", "Patient stable."), [ImapFlags.Flagged]);
            Assert.NotNull(a1);
            var uid1 = Assert.Single(a1.DestinationUids);
            var uid2 = Assert.Single(a2!.DestinationUids);
            var uid3 = Assert.Single(a3!.DestinationUids);

            var status = await client.StatusAsync(folder, ImapStatusItems.Messages | ImapStatusItems.Unseen | ImapStatusItems.HighestModSeq | ImapStatusItems.UidValidity);
            Assert.Equal(3u, status.Messages);
            Assert.Equal(2u, status.Unseen);
            Assert.Equal(a1.UidValidity, status.UidValidity);

            var selected = await client.SelectAsync(folder);
            Assert.Equal(3u, selected.Count);
            Assert.Equal(a1.UidValidity, selected.UidValidity);
            Assert.Equal(uid3 + 1, selected.UidNext);
            Assert.NotNull(selected.HighestModSeq);

            var messages = await client.FetchAsync(UidSet.All, ImapFetchItems.Summary | ImapFetchItems.ModSeq | ImapFetchItems.Preview, [new ImapBodySection("1", 0, 12), new ImapBodySection("HEADER.FIELDS (SUBJECT)")]);
            Assert.Equal(3, messages.Count);
            var first = messages.Single(m => m.Uid == uid1);
            Assert.True(first.IsSeen);
            Assert.Equal(date, first.InternalDate);
            Assert.Equal("Bilan sanguin", first.Envelope!.Subject);
            Assert.Equal("Dr Paul DURAND", first.Envelope.From[0].Name);
            var structure = Assert.IsType<ImapMultipart>(first.BodyStructure);
            Assert.Equal("cr.pdf", structure.Parts[1].FileName);
            Assert.Equal("Hémoglobine", Encoding.UTF8.GetString(first.Sections["1"]));
            Assert.Contains("Bilan sanguin", Encoding.UTF8.GetString(first.Sections["HEADER.FIELDS (SUBJECT)"]), StringComparison.Ordinal);
            Assert.NotNull(first.ModSeq);
            Assert.StartsWith("Hémoglobine normale", first.Preview, StringComparison.Ordinal);
            Assert.Contains(ImapFlags.Seen, (await client.FetchAsync(UidSet.Of(uid1), ImapFetchItems.Flags))[0].Flags!); // BODY.PEEK left \Seen as it was
            Assert.DoesNotContain(ImapFlags.Seen, (await client.FetchAsync(UidSet.Of(uid2), ImapFetchItems.Flags))[0].Flags!);

            Assert.Equal([uid1], await client.SearchAsync(ImapSearchQuery.Text("créatinine")));
            Assert.Equal([uid1, uid2], await client.SearchAsync(ImapSearchQuery.Subject("bilan")));
            Assert.Equal([uid3], await client.SearchAsync(ImapSearchQuery.And(ImapSearchQuery.Flagged, ImapSearchQuery.Unseen)));
            Assert.Equal([uid3, uid2, uid1], await client.SortAsync("REVERSE ARRIVAL", ImapSearchQuery.All));
            var threads = await client.ThreadAsync("REFERENCES", ImapSearchQuery.All);
            Assert.NotEmpty(threads);

            var modseq = selected.HighestModSeq!.Value;
            var store = await client.StoreAsync(UidSet.Of(uid2), ImapStoreAction.Add, [ImapFlags.Answered, ImapFlags.Forwarded]);
            Assert.Contains(ImapFlags.Answered, Assert.Single(store.Messages).Flags!);
            var changed = await client.FetchAsync(UidSet.All, ImapFetchItems.Flags, changedSince: modseq);
            Assert.Equal(uid2, Assert.Single(changed).Uid);
            var refused = await client.StoreAsync(UidSet.Of(uid2), ImapStoreAction.Remove, [ImapFlags.Answered], unchangedSince: modseq);
            Assert.Equal([uid2], refused.NotModified!.Enumerate());

            var other = root + "/Archives";
            await client.CreateMailboxAsync(other);
            var copy = await client.CopyAsync(UidSet.Of(uid1), other);
            Assert.Equal([uid1], copy!.SourceUids);
            var move = await client.MoveAsync(UidSet.Of(uid3), other);
            Assert.Equal([uid3], move!.SourceUids);
            Assert.Equal(2u, client.SelectedMailbox!.Count);
            await client.StoreAsync(UidSet.Of(uid2), ImapStoreAction.Add, [ImapFlags.Deleted]);
            await client.ExpungeAsync(UidSet.Of(uid2));
            Assert.Equal(1u, client.SelectedMailbox!.Count);

            var examined = await client.SelectAsync(other, readOnly: true);
            Assert.True(examined.ReadOnly);
            Assert.Equal(2u, examined.Count);

            var acl = await client.GetAclAsync(folder);
            Assert.Contains(acl, e => e.Identifier == "owner" || e.Identifier == User);
            var mine = await client.MyRightsAsync(folder);
            Assert.Contains('a', mine);
            await client.SetAclAsync(folder, "claire.leroy@pharmacien.mssante.fr", "lr");
            Assert.Contains(await client.GetAclAsync(folder), e => e.Identifier == "claire.leroy@pharmacien.mssante.fr" && e.Rights == "lr");
            var listRights = await client.ListRightsAsync(folder, "claire.leroy@pharmacien.mssante.fr");
            Assert.NotEmpty(listRights.OptionalRights);
            await client.DeleteAclAsync(folder, "claire.leroy@pharmacien.mssante.fr");
            Assert.DoesNotContain(await client.GetAclAsync(folder), e => e.Identifier == "claire.leroy@pharmacien.mssante.fr");
            var quota = await client.GetQuotaRootAsync("INBOX");
            Assert.Contains(quota.SelectMany(q => q.Resources), r => r.Resource == "STORAGE" && r.Limit > 0);

            await client.UnselectAsync();
            Assert.Equal(ImapState.Authenticated, client.State);
            await client.NoopAsync();
            var commandError = await Assert.ThrowsAsync<ImapCommandException>(() => client.SelectAsync(root + "/does-not-exist"));
            Assert.Equal(ImapCompletionStatus.No, commandError.Status);
            await client.NoopAsync(); // still usable
        }
        finally
        {
            foreach (var m in (await client.ListAsync("", root + "/*")).OrderByDescending(m => m.Name.Length))
            {
                await client.DeleteMailboxAsync(m.Name);
            }
            await client.DeleteMailboxAsync(root).ContinueWith(_ => { }, TaskScheduler.Default);
            await client.LogoutAsync();
        }
        Assert.False(client.IsConnected);
    }
}
