using System.Globalization;
using MSSante.Mime;

namespace MSSante.Webmail.Mail.Receipts;

/// <summary>What a received report says about one recipient.</summary>
public enum ReceiptKind
{
    Delivered,
    Delayed,
    Failed,
    Displayed,
    Processed,
    Deleted,
    ProcessingError,
}

/// <summary>One fact from one received report: a recipient, what happened, when, and why.</summary>
/// <param name="Recipient">The recipient address (Original-Recipient when given, else Final-Recipient), lower case.</param>
/// <param name="Kind">What happened.</param>
/// <param name="At">When (the report's date).</param>
/// <param name="Status">RFC 3463 status code of a DSN, or null.</param>
/// <param name="Diagnostic">The remote server's text (DSN Diagnostic-Code) or the MDN's Error, or null.</param>
public sealed record ReceiptFact(string Recipient, ReceiptKind Kind, DateTimeOffset? At, string? Status, string? Diagnostic);

/// <summary>A received report (MDN or DSN) reduced to what matches it to a sent message and its facts.</summary>
/// <param name="MessageIds">The Message-IDs it refers to (Original-Message-ID, the returned message's Message-ID), without brackets.</param>
/// <param name="EnvelopeId">The DSN's Original-Envelope-Id, or null.</param>
/// <param name="Facts">Per-recipient facts.</param>
public sealed record ReceiptRecord(IReadOnlyList<string> MessageIds, string? EnvelopeId, IReadOnlyList<ReceiptFact> Facts)
{
    /// <summary>Reads an MDN or a DSN; null for any other message.</summary>
    public static ReceiptRecord? From(MimeMessage report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var at = report.Date;
        var ids = new List<string>();
        if (ReturnedMessageId(report) is { } returned)
        {
            ids.Add(returned);
        }
        if (report.GetDispositionNotification() is { } mdn)
        {
            if (mdn.OriginalMessageId is { } original)
            {
                ids.Insert(0, original);
            }
            var who = Normalize(mdn.OriginalRecipient ?? mdn.FinalRecipient ?? report.From.Mailboxes().FirstOrDefault()?.Address);
            if (who is null || mdn.Disposition is null)
            {
                return null;
            }
            var kind = mdn.Disposition.IsError ? ReceiptKind.ProcessingError : mdn.Disposition.Type switch
            {
                "displayed" => ReceiptKind.Displayed,
                "deleted" => ReceiptKind.Deleted,
                _ => ReceiptKind.Processed,
            };
            var facts = new List<ReceiptFact> { new(who, kind, at, null, mdn.Errors.Count > 0 ? string.Join("; ", mdn.Errors) : null) };
            var final = Normalize(mdn.FinalRecipient);
            if (final is not null && final != who)
            {
                facts.Add(facts[0] with { Recipient = final });
            }
            return new ReceiptRecord(ids.Distinct().ToList(), null, facts);
        }
        if (report.GetDeliveryStatus() is { } dsn)
        {
            var facts = new List<ReceiptFact>();
            foreach (var r in dsn.Recipients)
            {
                var kind = r.Action switch
                {
                    "delivered" or "relayed" or "expanded" => ReceiptKind.Delivered,
                    "delayed" => ReceiptKind.Delayed,
                    _ => r.IsPermanentFailure ? ReceiptKind.Failed : ReceiptKind.Delayed,
                };
                foreach (var address in new[] { r.OriginalRecipient, r.FinalRecipient }.Select(Normalize).OfType<string>().Distinct())
                {
                    facts.Add(new ReceiptFact(address, kind, r.LastAttemptDate ?? at, r.Status, r.DiagnosticCode));
                }
            }
            return new ReceiptRecord(ids, dsn.OriginalEnvelopeId?.Trim(), facts);
        }
        return null;
    }

    /// <summary>True when this report is about the sent message <paramref name="messageId"/> (with its ENVID <paramref name="envelopeId"/>).</summary>
    public bool Matches(string messageId, string? envelopeId) =>
        MessageIds.Contains(messageId, StringComparer.Ordinal)
        || (envelopeId is not null && EnvelopeId is not null && string.Equals(EnvelopeId, envelopeId, StringComparison.Ordinal));

    private static string? ReturnedMessageId(MimeMessage report)
    {
        var returned = report.GetReturnedContent();
        if (returned is MessagePart part)
        {
            return part.Message.MessageId;
        }
        if (returned is MimePart headers)
        {
            var parsed = MimeMessage.Load(headers.GetContent(), new MimeParserOptions { MaxDepth = 0 });
            return parsed.MessageId;
        }
        return null;
    }

    private static string? Normalize(string? address)
    {
        var a = address?.Trim().Trim('<', '>').Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(a) ? null : a;
    }
}

/// <summary>The state shown for one recipient of a sent message.</summary>
/// <param name="Address">The recipient.</param>
/// <param name="Kind">The most telling fact, or null when no report came.</param>
/// <param name="Text">French text for the reading pane.</param>
public sealed record RecipientReceipt(string Address, ReceiptKind? Kind, string Text);

/// <summary>Turns the facts about a sent message into one French line per recipient.</summary>
public static class ReceiptSummary
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>One line per recipient of <paramref name="recipients"/>, in order, from the facts of <paramref name="records"/>.</summary>
    public static IReadOnlyList<RecipientReceipt> For(IEnumerable<string> recipients, IEnumerable<ReceiptRecord> records)
    {
        var facts = records.SelectMany(r => r.Facts).ToList();
        var result = new List<RecipientReceipt>();
        foreach (var recipient in recipients.Select(r => r.ToLowerInvariant()).Distinct())
        {
            var mine = facts.Where(f => f.Recipient == recipient).ToList();
            // A failure outweighs everything; a reading outweighs a delivery; the latest of a kind wins.
            var best = mine.OrderBy(f => Rank(f.Kind)).ThenByDescending(f => f.At).FirstOrDefault();
            result.Add(best is null
                ? new RecipientReceipt(recipient, null, "Aucun accusé reçu pour l'instant")
                : new RecipientReceipt(recipient, best.Kind, Describe(best)));
        }
        return result;
    }

    /// <summary>The French line for a fact.</summary>
    public static string Describe(ReceiptFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var when = fact.At is { } at ? at.ToLocalTime().ToString("dd/MM/yyyy 'à' HH:mm", French) : null;
        return fact.Kind switch
        {
            ReceiptKind.Displayed => when is null ? "Lu" : "Lu le " + when,
            ReceiptKind.Processed => when is null ? "Traité" : "Traité le " + when,
            ReceiptKind.Deleted => when is null ? "Supprimé sans avoir été lu" : "Supprimé sans avoir été lu le " + when,
            ReceiptKind.ProcessingError => "Échec du traitement : " + (ErrorLabel(fact.Diagnostic) ?? "motif non précisé"),
            ReceiptKind.Failed => "Échec : " + FailureReason(fact.Status, fact.Diagnostic),
            ReceiptKind.Delayed => "Remise retardée : le serveur réessaie" + (fact.Diagnostic is null ? "" : " (" + ServerText(fact.Diagnostic) + ")"),
            _ => "Distribué",
        };
    }

    /// <summary>
    /// A failed delivery in plain French: the meaning of the RFC 3463 status code, then the
    /// server's own words (Diagnostic-Code, type prefix and repeated codes removed).
    /// </summary>
    public static string FailureReason(string? status, string? diagnostic)
    {
        var meaning = status switch
        {
            "5.1.1" => "l'adresse du destinataire n'existe pas",
            "5.1.2" => "le domaine du destinataire est introuvable",
            "5.1.0" or "5.1.3" => "l'adresse du destinataire est invalide",
            "5.2.1" => "la boîte du destinataire est désactivée",
            "5.2.2" => "la boîte du destinataire est pleine",
            "5.2.3" or "5.3.4" => "le message est trop volumineux pour le destinataire",
            "5.4.4" => "aucun serveur ne peut acheminer le message vers ce destinataire",
            "5.4.6" => "le message tourne en boucle entre serveurs",
            "5.7.1" => "le destinataire ou son opérateur a refusé le message (hors de l'espace de confiance ou non autorisé)",
            "5.4.7" or "4.4.7" => "le message n'a pas pu être remis dans le délai imparti",
            _ when status?.StartsWith("5.7", StringComparison.Ordinal) == true => "le message a été refusé pour une raison de sécurité",
            _ when status?.StartsWith("5.1", StringComparison.Ordinal) == true => "l'adresse du destinataire est incorrecte",
            _ when status?.StartsWith("5.2", StringComparison.Ordinal) == true => "la boîte du destinataire ne peut pas recevoir",
            _ when status?.StartsWith("5.4", StringComparison.Ordinal) == true => "le message n'a pas pu être acheminé",
            _ => "le message n'a pas pu être remis",
        };
        return diagnostic is null ? meaning : meaning + " (réponse du serveur : « " + ServerText(diagnostic) + " »)";
    }

    private static string ServerText(string diagnostic)
    {
        var text = diagnostic.Trim();
        // "550 5.1.1 <x@y>: ..." or "X-Postfix; ..." (the type was removed by the parser)
        var words = text.Split(' ', 3);
        if (words.Length == 3 && words[0].Length == 3 && words[0].All(char.IsAsciiDigit) && words[1].Count(c => c == '.') == 2)
        {
            text = words[2];
        }
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    // MSSanté errors are code^label: show the label.
    private static string? ErrorLabel(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return null;
        }
        var caret = error.IndexOf('^', StringComparison.Ordinal);
        return caret >= 0 ? error[(caret + 1)..].Trim() : error.Trim();
    }

    private static int Rank(ReceiptKind kind) => kind switch
    {
        ReceiptKind.Failed => 0,
        ReceiptKind.ProcessingError => 1,
        ReceiptKind.Displayed => 2,
        ReceiptKind.Deleted => 3,
        ReceiptKind.Processed => 4,
        ReceiptKind.Delivered => 5,
        _ => 6,
    };
}
