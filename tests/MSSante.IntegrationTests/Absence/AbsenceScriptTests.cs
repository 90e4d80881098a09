using MSSante.Webmail.Mail.Absence;

namespace MSSante.IntegrationTests.Absence;

/// <summary>The Sieve script the absence page writes, and its settings read back.</summary>
public sealed class AbsenceScriptTests
{
    private const string Paul = "paul.durand@ch-demo.mssante.fr";

    private static readonly AbsenceSettings Holidays = new()
    {
        Enabled = true,
        Start = new DateOnly(2026, 12, 21),
        End = new DateOnly(2026, 12, 31),
        Subject = "Absent \"congés\"",
        Message = "Bonjour,\nJe suis absent.\nContactez le Dr LEROY \\ secrétariat.",
        RedirectTo = "claire.leroy@pharmacien.mssante.fr",
    };

    [Fact]
    public void The_script_uses_vacation_dates_and_a_kept_copy_with_escaped_strings()
    {
        var script = AbsenceScript.Build(Holidays, Paul, "Dr Paul DURAND");

        Assert.Contains("require [\"vacation\", \"date\", \"relational\", \"copy\"];", script, StringComparison.Ordinal);
        Assert.Contains("if allof (currentdate :value \"ge\" \"date\" \"2026-12-21\", currentdate :value \"le\" \"date\" \"2026-12-31\") {", script, StringComparison.Ordinal);
        Assert.Contains("redirect :copy \"claire.leroy@pharmacien.mssante.fr\";", script, StringComparison.Ordinal);
        Assert.Contains("vacation :days 1 :subject \"Absent \\\"congés\\\"\" :from \"Dr Paul DURAND <paul.durand@ch-demo.mssante.fr>\" :addresses [\"paul.durand@ch-demo.mssante.fr\"] \"Bonjour,\r\nJe suis absent.\r\nContactez le Dr LEROY \\\\ secrétariat.\";", script, StringComparison.Ordinal);
        Assert.DoesNotContain("include", script, StringComparison.Ordinal);
        Assert.Equal(Holidays, AbsenceScript.Read(script));
    }

    [Fact]
    public void A_previously_active_script_keeps_running_and_a_disabled_absence_does_nothing()
    {
        var script = AbsenceScript.Build(Holidays with { Enabled = false, RedirectTo = null, PreviousActiveScript = "tri" }, Paul, null);

        Assert.Contains("require [\"vacation\", \"date\", \"relational\", \"include\"];", script, StringComparison.Ordinal);
        Assert.DoesNotContain("vacation :days", script, StringComparison.Ordinal);
        Assert.EndsWith("include :personal \"tri\";\r\n", script, StringComparison.Ordinal);
        Assert.Equal("tri", AbsenceScript.Read(script)!.PreviousActiveScript);
        Assert.Null(AbsenceScript.Read("require \"vacation\";\r\nvacation \"x\";\r\n"));
    }

    [Fact]
    public void Bad_settings_are_explained_in_french()
    {
        var problems = AbsenceScript.Validate(Holidays with { End = new DateOnly(2026, 12, 1), Message = " ", RedirectTo = Paul }, Paul);

        Assert.Equal(
        [
            "La date de retour doit suivre la date de départ.",
            "Rédigez le texte de la réponse automatique.",
            "La redirection ne peut pas viser votre propre boîte.",
        ], problems);
        Assert.Equal(["L'adresse du collègue « pas une adresse » n'est pas valide."], AbsenceScript.Validate(Holidays with { RedirectTo = "pas une adresse" }, Paul));
        Assert.Empty(AbsenceScript.Validate(Holidays with { Enabled = false, Message = "" }, Paul));
    }
}
