using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.Absence;

namespace MSSante.IntegrationTests.Absence;

/// <summary>The absence service when the operator offers no ManageSieve.</summary>
public sealed class AbsenceServiceTests
{
    private sealed class NoTokens : IOperatorTokenSource
    {
        public string Mint(string idNat, string mailbox) => throw new InvalidOperationException("no token may be minted when ManageSieve is not offered");
    }

    [Fact]
    public async Task Without_managesieve_the_page_is_told_in_french_and_nothing_is_contacted()
    {
        var service = new AbsenceService(Options.Create(new ManageSieveOptions()), Options.Create(new OperatorMailOptions()), new NoTokens(), NullLogger<AbsenceService>.Instance);
        var user = new MailUser("899700100023", "paul.durand@ch-demo.mssante.fr");

        Assert.False(service.IsOffered);
        var e = await Assert.ThrowsAsync<AbsenceException>(() => service.LoadAsync(user));
        Assert.StartsWith("Votre opérateur ne propose pas la gestion des filtres (ManageSieve)", e.Message, StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<AbsenceException>(() => service.SaveAsync(user, null, new AbsenceSettings { Enabled = true, Start = new DateOnly(2026, 12, 2), End = new DateOnly(2026, 12, 1), Message = "x" }));
        Assert.Equal("La date de retour doit suivre la date de départ.", bad.Message);
    }
}
