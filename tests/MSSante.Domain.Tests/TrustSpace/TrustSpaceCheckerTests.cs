using System.Runtime.CompilerServices;
using MSSante.Domain.TrustSpace;

namespace MSSante.Domain.Tests.TrustSpace;

public class TrustSpaceCheckerTests
{
    private sealed class FixedWhitelist(params string[] domains) : IWhitelistStore
    {
        public Task<bool> ContainsDomainAsync(string domain, CancellationToken cancellationToken = default) =>
            Task.FromResult(domains.Contains(domain, StringComparer.Ordinal));

        public Task<int> CountDomainsAsync(CancellationToken cancellationToken = default) => Task.FromResult(domains.Length);

        public async IAsyncEnumerable<string> ListDomainsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var d in domains)
            {
                await Task.Yield();
                yield return d;
            }
        }
    }

    private sealed class RecordingSuggestions : ITrustSpaceSuggestionSource
    {
        public IReadOnlyList<string>? Tokens { get; private set; }

        public Task<IReadOnlyList<TrustSpaceSuggestion>> SuggestAsync(IReadOnlyList<string> nameTokens, int limit, CancellationToken cancellationToken = default)
        {
            Tokens = nameTokens;
            IReadOnlyList<TrustSpaceSuggestion> result = nameTokens.Contains("MARTIN")
                ? [new TrustSpaceSuggestion("jeanne.martin@medecin.mssante.fr", "DR Jeanne MARTIN")]
                : [];
            return Task.FromResult(result);
        }
    }

    [Fact]
    public async Task Gmail_is_refused_with_the_french_explanation()
    {
        var checker = new TrustSpaceChecker(new FixedWhitelist("medecin.mssante.fr"));

        var verdict = await checker.CheckAsync("someone@gmail.com");

        Assert.False(verdict.Allowed);
        Assert.Equal("gmail.com", verdict.Domain);
        Assert.Equal(
            "Le domaine gmail.com n'appartient pas à l'espace de confiance MSSanté : ce destinataire ne peut pas recevoir de messagerie sécurisée de santé.",
            verdict.Message);
    }

    [Theory]
    [InlineData("jeanne.martin@medecin.mssante.fr")]
    [InlineData("Jeanne.Martin@MEDECIN.MSSante.FR")]
    [InlineData("  jeanne.martin@medecin.mssante.fr.  ")]
    public async Task Listed_domain_is_allowed_whatever_its_case(string address)
    {
        var checker = new TrustSpaceChecker(new FixedWhitelist("medecin.mssante.fr"));
        var verdict = await checker.CheckAsync(address);
        Assert.True(verdict.Allowed);
        Assert.Null(verdict.Message);
    }

    [Theory]
    [InlineData("x@sub.medecin.mssante.fr")]
    [InlineData("x@mssante.fr")]
    [InlineData("x@medecin.mssante.fr.evil.example")]
    public async Task Only_exact_domains_match(string address)
    {
        var checker = new TrustSpaceChecker(new FixedWhitelist("medecin.mssante.fr"));
        Assert.False((await checker.CheckAsync(address)).Allowed);
    }

    [Theory]
    [InlineData("sans-arobase")]
    [InlineData("@medecin.mssante.fr")]
    [InlineData("x@")]
    [InlineData("x@domaine invalide.fr")]
    public async Task Malformed_addresses_are_refused_with_a_french_message(string address)
    {
        var checker = new TrustSpaceChecker(new FixedWhitelist("medecin.mssante.fr"));
        var verdict = await checker.CheckAsync(address);
        Assert.False(verdict.Allowed);
        Assert.Contains("n'est pas une adresse de messagerie valide", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusal_suggests_the_directory_entry_matching_the_local_part()
    {
        var suggestions = new RecordingSuggestions();
        var checker = new TrustSpaceChecker(new FixedWhitelist("medecin.mssante.fr"), suggestions);

        var verdict = await checker.CheckAsync("jeanne.martin75+cabinet@gmail.com");

        Assert.False(verdict.Allowed);
        Assert.Equal(["JEANNE", "MARTIN"], suggestions.Tokens);
        var suggestion = Assert.Single(verdict.Suggestions);
        Assert.Equal("jeanne.martin@medecin.mssante.fr", suggestion.Address);
        Assert.StartsWith("Le domaine gmail.com n'appartient pas", verdict.Message, StringComparison.Ordinal);
        Assert.EndsWith("Vouliez-vous écrire à DR Jeanne MARTIN <jeanne.martin@medecin.mssante.fr> ?", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postfix_map_lists_each_domain_once_with_ok()
    {
        var writer = new StringWriter();
        var count = await PostfixRecipientMap.WriteAsync(
            writer,
            new FixedWhitelist("ch-demo.mssante.fr", "medecin.mssante.fr").ListDomainsAsync(),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(2, count);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["ch-demo.mssante.fr OK", "medecin.mssante.fr OK"], lines.Where(l => !l.StartsWith('#')));
        Assert.DoesNotContain(lines, l => l.Contains("REJECT", StringComparison.Ordinal));
    }
}
