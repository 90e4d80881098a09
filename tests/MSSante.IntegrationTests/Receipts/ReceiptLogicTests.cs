using System.Text;
using MSSante.IntegrationTests.Support;
using MSSante.Infrastructure.Persistence.Preferences;
using MSSante.Mime;
using MSSante.Webmail.Mail.Receipts;

namespace MSSante.IntegrationTests.Receipts;

/// <summary>Pure receipt logic: when an MDN is due, what it says, and how reports match sent messages.</summary>
public sealed class ReceiptLogicTests
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string Paul = "paul.durand@ch-demo.mssante.fr";

    private static MimeMessage Asking(string extraHeaders = "", string returnPath = Jeanne, string contentType = "text/plain; charset=utf-8") =>
        MimeMessage.Load(Encoding.UTF8.GetBytes(
            $"Return-Path: <{returnPath}>\r\nFrom: Dr Jeanne MARTIN <{Jeanne}>\r\nTo: {Paul}\r\nSubject: Résultats\r\n" +
            $"Message-ID: <orig-1@medecin.mssante.fr>\r\nDisposition-Notification-To: {Jeanne}\r\n{extraHeaders}" +
            $"MIME-Version: 1.0\r\nContent-Type: {contentType}\r\n\r\nBonjour\r\n"));

    private static ReceiptDecision Decide(MimeMessage m, ReadReceiptPolicy policy = ReadReceiptPolicy.Ask, string[]? flags = null, string? role = "inbox", bool trusted = true) =>
        ReadReceiptRules.Decide(m, flags ?? [], role, Paul, policy, trusted);

    [Fact]
    public void The_policy_decides_only_when_nothing_forbids_a_receipt()
    {
        Assert.Equal(ReceiptAction.Ask, Decide(Asking()).Action);
        Assert.Equal(ReceiptAction.Send, Decide(Asking(), ReadReceiptPolicy.Always).Action);
        Assert.Equal(ReceiptAction.None, Decide(Asking(), ReadReceiptPolicy.Never).Action);
        // Receipt asked for another address than the envelope sender: never automatic (RFC 8098 §2.1).
        Assert.Equal(ReceiptAction.Ask, Decide(Asking(returnPath: "robot@medecin.mssante.fr"), ReadReceiptPolicy.Always).Action);
    }

    [Theory]
    [InlineData("no request")]
    [InlineData("$MDNSent")]
    [InlineData("sent folder")]
    [InlineData("report")]
    [InlineData("auto-submitted")]
    [InlineData("X-MSS-MES: FIN")]
    [InlineData("outside trust space")]
    public void No_receipt_is_ever_sent_or_asked_for(string why)
    {
        var decision = why switch
        {
            "no request" => Decide(MimeMessage.Load(Encoding.UTF8.GetBytes($"From: {Jeanne}\r\nTo: {Paul}\r\nSubject: x\r\n\r\nx\r\n")), ReadReceiptPolicy.Always),
            "$MDNSent" => Decide(Asking(), ReadReceiptPolicy.Always, flags: ["\\Seen", "$MDNSent"]),
            "sent folder" => Decide(Asking(), ReadReceiptPolicy.Always, role: "sent"),
            "report" => Decide(Asking(contentType: "multipart/report; report-type=disposition-notification; boundary=b"), ReadReceiptPolicy.Always),
            "auto-submitted" => Decide(Asking("Auto-Submitted: auto-replied\r\n"), ReadReceiptPolicy.Always),
            "X-MSS-MES: FIN" => Decide(Asking("X-MSS-MES: FIN\r\n"), ReadReceiptPolicy.Always),
            _ => Decide(Asking(), ReadReceiptPolicy.Always, trusted: false),
        };
        Assert.Equal(ReceiptAction.None, decision.Action);
        Assert.Equal(ReceiptAction.Ask, Decide(Asking("Auto-Submitted: no\r\n")).Action);
    }

    [Theory]
    [InlineData(true, "manual-action/MDN-sent-manually; displayed")]
    [InlineData(false, "automatic-action/MDN-sent-automatically; displayed")]
    public void The_mdn_is_a_multipart_report_that_parses_back(bool manual, string disposition)
    {
        var original = Asking("Original-Recipient: rfc822;paul.durand@ch-demo.mssante.fr\r\n");
        var mdn = MessageBuilder.BuildDispositionNotification(original, new DispositionNotificationRequest
        {
            Recipient = new MailboxAddress("Dr Paul DURAND", Paul),
            ReportingUserAgent = ReadReceiptService.ReportingUserAgent,
            OriginalRecipient = Paul,
            Manual = manual,
        })!;
        var parsed = MimeMessage.Load(MimeWriter.ToBytes(mdn));

        Assert.True(parsed.Body.ContentType.Is("multipart", "report"));
        Assert.Equal("disposition-notification", parsed.Body.ContentType.Parameters["report-type"]);
        Assert.Equal(Jeanne, Assert.Single(parsed.To.Mailboxes()).Address);
        Assert.StartsWith("Accusé de lecture : Résultats", parsed.Subject, StringComparison.Ordinal);
        var n = parsed.GetDispositionNotification()!;
        Assert.Equal(disposition, n.Disposition!.ToString());
        Assert.Equal("orig-1@medecin.mssante.fr", n.OriginalMessageId);
        Assert.Equal(Paul, n.FinalRecipient);
        Assert.Equal(Paul, n.OriginalRecipient);
        Assert.Equal(ReadReceiptService.ReportingUserAgent, n.ReportingUserAgent);
        Assert.Contains("a été affiché", parsed.GetTextBody(), StringComparison.Ordinal);
        // An MDN is itself never answered.
        Assert.True(ReadReceiptRules.IsReport(parsed));
        Assert.Null(MessageBuilder.BuildDispositionNotification(MimeMessage.Load("Subject: x\r\n\r\nx\r\n"u8.ToArray()), new DispositionNotificationRequest { Recipient = new MailboxAddress(null, Paul), ReportingUserAgent = "ua" }));
    }

    [Fact]
    public void A_real_postfix_bounce_matches_its_sent_message_and_reads_as_a_failure_in_french()
    {
        var bounce = MimeMessage.Load(File.ReadAllBytes(Corpus("operator/postfix-bounce-1.eml")));
        var record = ReceiptRecord.From(bounce)!;

        Assert.True(record.Matches("bounce-42f9fdf474cb@medecin.mssante.fr", "bounce-42f9fdf474cb"));
        Assert.False(record.Matches("other@medecin.mssante.fr", "other"));
        var states = ReceiptSummary.For(["secretariat.cardiologie@aphp.mssante.fr", Paul], [record]);
        Assert.Equal(ReceiptKind.Failed, states[0].Kind);
        Assert.StartsWith("Échec : aucun serveur ne peut acheminer le message vers ce destinataire (réponse du serveur : « operateur de demonstration", states[0].Text, StringComparison.Ordinal);
        Assert.Null(states[1].Kind);
        Assert.Equal("Aucun accusé reçu pour l'instant", states[1].Text);
    }

    [Fact]
    public void A_success_dsn_is_delivered_and_a_later_reading_wins_over_it()
    {
        var dsn = ReceiptRecord.From(MimeMessage.Load(File.ReadAllBytes(Corpus("operator/postfix-dsn-success-1.eml"))))!;
        var claire = "claire.leroy@pharmacien.mssante.fr";
        Assert.Equal(ReceiptKind.Delivered, ReceiptSummary.For([claire], [dsn])[0].Kind);
        Assert.Equal("Distribué", ReceiptSummary.For([claire], [dsn])[0].Text);

        var read = new ReceiptRecord(["x@y"], null, [new ReceiptFact(claire, ReceiptKind.Displayed, new DateTimeOffset(2026, 11, 22, 9, 5, 0, TimeSpan.Zero), null, null)]);
        var state = ReceiptSummary.For([claire], [dsn, read])[0];
        Assert.Equal(ReceiptKind.Displayed, state.Kind);
        Assert.StartsWith("Lu le 22/11/2026 à ", state.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_mdn_with_an_mssante_error_shows_the_label()
    {
        var record = ReceiptRecord.From(MimeMessage.Load(File.ReadAllBytes(Corpus("handwritten/report-mdn-error.eml"))))!;
        Assert.True(record.Matches("orig2@medecin.mssante.fr", null));
        var state = ReceiptSummary.For(["labo-bio@ch-demo.mssante.fr"], [record])[0];
        Assert.Equal("Échec du traitement : INS non qualifie", state.Text);
    }

    [Theory]
    [InlineData("5.1.1", "smtp; 550 5.1.1 <x@y.fr>: Recipient address rejected: User unknown", "Échec : l'adresse du destinataire n'existe pas (réponse du serveur : « <x@y.fr>: Recipient address rejected: User unknown »)")]
    [InlineData("5.2.2", null, "Échec : la boîte du destinataire est pleine")]
    [InlineData("5.7.1", null, "Échec : le destinataire ou son opérateur a refusé le message (hors de l'espace de confiance ou non autorisé)")]
    public void Delivery_failures_read_in_plain_french(string status, string? diagnostic, string expected) =>
        Assert.Equal(expected, ReceiptSummary.Describe(new ReceiptFact("x@y.fr", ReceiptKind.Failed, null, status, diagnostic?.Split(';', 2)[1].Trim())));

    private static string Corpus(string name) => Path.Combine(StackInfo.FindRepositoryRoot(), "tests", "MSSante.Mime.Tests", "Corpus", name);
}
