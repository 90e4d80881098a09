using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MSSante.Domain.NationalDirectory;
using MSSante.Infrastructure.NationalDirectory;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Webmail.Components.Pages.NationalDirectory;

/// <summary>
/// The national directory page: a search in the address (so the back button and a shared link
/// give the same results), one page of entries at a time, each with its running absence and an
/// "Écrire" link to the composer.
/// </summary>
public sealed partial class DirectoryPage : IDisposable
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private CancellationTokenSource? _search;

    [Inject] private IDirectorySearch Directory { get; set; } = default!;
    [Inject] private AbsenceNoticeStore Absences { get; set; } = default!;
    [Inject] private IDbContextFactory<MSSanteDbContext> Contexts { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<DirectoryPage> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "q")] private string? QueryText { get; set; }
    [SupplyParameterFromQuery(Name = "nom")] private string? QueryLastName { get; set; }
    [SupplyParameterFromQuery(Name = "prenom")] private string? QueryFirstName { get; set; }
    [SupplyParameterFromQuery(Name = "profession")] private string? QueryProfession { get; set; }
    [SupplyParameterFromQuery(Name = "lieu")] private string? QueryPlace { get; set; }
    [SupplyParameterFromQuery(Name = "identifiant")] private string? QueryIdentifier { get; set; }
    [SupplyParameterFromQuery(Name = "adresse")] private string? QueryStreet { get; set; }
    [SupplyParameterFromQuery(Name = "type")] private string? QueryType { get; set; }
    [SupplyParameterFromQuery(Name = "page")] private string? QueryPage { get; set; }

    /// <summary>What the inputs hold (edited freely; searched on submit).</summary>
    private FormFields Form { get; } = new();

    /// <summary>The search the results belong to (from the address).</summary>
    private DirectorySearchForm Current { get; set; } = new();

    private DirectoryStatus? Status { get; set; }
    private IReadOnlyList<DirectoryEntryView> Results { get; set; } = [];
    private bool HasMore { get; set; }
    private bool Ready { get; set; }
    private bool Busy { get; set; }
    private string? Error { get; set; }
    private bool DetailsOpen { get; set; }

    private string CountText
    {
        get
        {
            var first = Current.Page * DirectorySearchForm.PageSize + 1;
            var last = first + Results.Count - 1;
            return Results.Count == 1 && Current.Page == 0 && !HasMore
                ? "1 fiche trouvée."
                : HasMore || Current.Page > 0
                    ? $"Fiches {first} à {last}{(HasMore ? ", d'autres suivent" : "")}."
                    : $"{Results.Count} fiches trouvées.";
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        Current = DirectorySearchForm.FromQuery(QueryText, QueryLastName, QueryFirstName, QueryProfession, QueryPlace, QueryIdentifier, QueryStreet, QueryType, QueryPage);
        Form.Load(Current);
        DetailsOpen = Form.HasDetails;
        await SearchAsync(Current);
    }

    private void Submit()
    {
        var form = Form.ToSearch();
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(form.ToQueryParameters()));
    }

    private string PageHref(int page) => Navigation.GetUriWithQueryParameters((Current with { Page = page }).ToQueryParameters());

    private async Task SearchAsync(DirectorySearchForm form)
    {
        _search?.Cancel();
        _search?.Dispose();
        var cts = _search = new CancellationTokenSource();
        var token = cts.Token;
        Ready = false;
        Busy = true;
        Error = null;
        try
        {
            Status = await DirectoryStatus.ReadAsync(Contexts, token);
            IReadOnlyList<DirectoryEntry> entries = [];
            var hasMore = false;
            if (!Status.HasEntries || form.IsEmpty)
            {
                // Nothing to look for: the page explains instead.
            }
            else if (form.ExactAddress is { } address)
            {
                var entry = await Directory.FindByAddressAsync(address, token);
                entries = entry is null ? [] : [entry];
            }
            else
            {
                var page = await Directory.SearchAsync(form.ToQuery(), token);
                entries = page.Entries;
                hasMore = page.HasMore;
            }
            var absences = entries.Count == 0
                ? new Dictionary<string, AbsenceNotice>()
                : await Absences.FindCurrentAsync(entries.Select(e => e.Address), token);
            Results = entries.Select(e => new DirectoryEntryView(e, absences.GetValueOrDefault(e.Address))).ToList();
            HasMore = hasMore;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return; // a newer search replaced this one
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            LogSearchFailed(Logger, e.GetType().Name);
            Results = [];
            HasMore = false;
            Error = "L'annuaire ne répond pas pour le moment. Réessayez dans quelques instants.";
        }
        Busy = false;
        Ready = true;
    }

    public void Dispose()
    {
        _search?.Cancel();
        _search?.Dispose();
    }

    [LoggerMessage(EventId = 6401, Level = LogLevel.Warning, Message = "Directory page search failed ({Error})")]
    private static partial void LogSearchFailed(ILogger logger, string error);

    /// <summary>The inputs of the form; the search itself is <see cref="DirectorySearchForm"/>.</summary>
    private sealed class FormFields
    {
        public string Text { get; set; } = "";
        public string LastName { get; set; } = "";
        public string FirstName { get; set; } = "";
        public string Profession { get; set; } = "";
        public string Place { get; set; } = "";
        public string Identifier { get; set; } = "";
        public string Street { get; set; } = "";
        public string TypeCode { get; set; } = "";

        public bool HasDetails => new[] { LastName, FirstName, Profession, Place, Identifier, Street, TypeCode }.Any(v => !string.IsNullOrWhiteSpace(v));

        public void Load(DirectorySearchForm form)
        {
            Text = form.Text ?? "";
            LastName = form.LastName ?? "";
            FirstName = form.FirstName ?? "";
            Profession = form.Profession ?? "";
            Place = form.Place ?? "";
            Identifier = form.Identifier ?? "";
            Street = form.Street ?? "";
            TypeCode = form.Type is { } t ? t.ToString().ToUpperInvariant() : "";
        }

        // A new search starts at its first page.
        public DirectorySearchForm ToSearch() => DirectorySearchForm.FromQuery(Text, LastName, FirstName, Profession, Place, Identifier, Street, TypeCode, null);
    }
}
