using System.Globalization;
using System.Text;

namespace MSSante.Webmail.Benchmarks;

/// <summary>The messages the benchmark puts in its own folder (generated here, never committed).</summary>
internal static class BenchMessages
{
    public const string Folder = "Bench";
    public const string HtmlSubject = "Bench: compte rendu HTML 100 Ko";
    public const string TextSubject = "Bench: petit message texte";

    /// <summary>
    /// A hospital report of about 100 KB of HTML, the kind the reading pane gets: a style sheet,
    /// nested tables of lab results, inline styles, links, and remote images (blocked by default).
    /// </summary>
    public static byte[] Html100K(string to)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Compte rendu</title>\r\n<style>\r\n");
        html.Append("body { font-family: Arial, sans-serif; font-size: 13px; color: #222; }\r\n");
        html.Append("table.res { border-collapse: collapse; width: 100%; margin: 8px 0; }\r\n");
        html.Append("table.res td, table.res th { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }\r\n");
        html.Append(".hors { color: #b00; font-weight: bold; } .entete { background: #eef3fb; padding: 10px; }\r\n");
        html.Append("</style></head><body>\r\n");
        html.Append("<div class=\"entete\"><img src=\"https://imagerie.ch-demo.example/logo.png\" width=\"120\" alt=\"Logo\">\r\n");
        html.Append("<h1 style=\"font-size:18px;margin:4px 0\">Centre hospitalier de démonstration - Laboratoire de biologie médicale</h1>\r\n");
        html.Append("<p>Compte rendu de biologie, patient fictif BENCH Test, né le 01/01/1970. Prescripteur : Dr Test CHARGE.</p></div>\r\n");
        var analyses = new[] { "Hémoglobine", "Hématocrite", "Leucocytes", "Plaquettes", "Sodium", "Potassium", "Créatinine", "Urée", "CRP", "Glycémie", "ASAT", "ALAT", "Gamma GT", "TSH", "Ferritine" };
        var section = 0;
        while (html.Length < 100 * 1024 - 600)
        {
            section++;
            html.Append(CultureInfo.InvariantCulture, $"<h2 style=\"font-size:15px;border-bottom:1px solid #99b\">Bilan n° {section} du {1 + section % 28:00}/10/2026</h2>\r\n");
            html.Append("<p>Prélèvement réalisé au service de médecine interne. Résultats validés par le biologiste ; ");
            html.Append("les valeurs hors normes sont <span class=\"hors\">en gras</span>. Voir aussi <a href=\"https://resultats.ch-demo.example/dossier?id=");
            html.Append(section);
            html.Append("\">le dossier en ligne</a>.</p>\r\n<table class=\"res\"><tr><th>Analyse</th><th>Résultat</th><th>Unité</th><th>Valeurs de référence</th><th>Antériorité</th></tr>\r\n");
            for (var i = 0; i < analyses.Length; i++)
            {
                var value = (section * 7 + i * 13) % 100 / 10.0 + 1;
                var hors = (section + i) % 6 == 0;
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{analyses[i]}</td><td{(hors ? " class=\"hors\"" : "")} style=\"text-align:right\">{value:0.0}</td><td>g/L</td><td>1,0 - 9,0</td><td>{value + 0.3:0.0}</td></tr>\r\n");
            }
            html.Append("</table>\r\n<p style=\"margin-left:12px\"><img src=\"https://imagerie.ch-demo.example/courbe-");
            html.Append(section);
            html.Append(".png\" width=\"300\" height=\"80\" alt=\"Courbe\"> Commentaire : évolution favorable, contrôle à prévoir.</p>\r\n");
        }
        html.Append("<p>Document généré pour le banc de performance, sans donnée réelle.</p></body></html>\r\n");
        return Message(to, HtmlSubject, "text/html", html.ToString());
    }

    public static byte[] SmallText(string to) =>
        Message(to, TextSubject, "text/plain", "Bonjour,\r\n\r\nun petit message pour le banc de performance.\r\n\r\nCordialement\r\n");

    private static byte[] Message(string to, string subject, string type, string body)
    {
        var head = new StringBuilder();
        head.Append("From: Laboratoire CH Demo <labo@ch-demo.mssante.fr>\r\n");
        head.Append(CultureInfo.InvariantCulture, $"To: {to}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Subject: {subject}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Date: {DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0000\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Message-ID: <{Guid.NewGuid():N}@bench.ch-demo.mssante.fr>\r\n");
        head.Append("MIME-Version: 1.0\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Type: {type}; charset=utf-8\r\n");
        head.Append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        return Encoding.UTF8.GetBytes(head + body);
    }
}
