using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace MSSante.Webmail.Components.Pages.NationalDirectory.Components;

/// <summary>One entry of the directory page's results.</summary>
public partial class DirectoryEntryCard
{
    private static int _next;
    private readonly string _titleId = "fiche-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);

    /// <summary>The entry to show.</summary>
    [Parameter, EditorRequired]
    public DirectoryEntryView View { get; set; } = default!;

    /// <summary>The mail page with the composer open, addressed to this mailbox.</summary>
    private string WriteHref => "courrier?destinataire=" + Uri.EscapeDataString(View.Entry.Address);
}
