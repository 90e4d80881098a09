using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MSSante.Webmail.Mail.Compose;

namespace MSSante.Webmail.Components.Pages.Mail.Components;

/// <summary>
/// A To/Cc/Bcc field (addresses separated by commas) that proposes recent correspondents and
/// national directory entries for the address being typed. Arrows move, Entrée or Tab choose,
/// Échap closes; compose.js keeps those keys from moving the caret or submitting the form.
/// </summary>
public sealed partial class RecipientInput : IDisposable
{
    private readonly string _id = "rcpt-" + Guid.NewGuid().ToString("N")[..8];
    private IReadOnlyList<RecipientSuggestion> _items = [];
    private int _active = -1;
    private CancellationTokenSource? _pending;
    // What the value attribute renders. It changes only when the text is set from here (a
    // choice) or from outside (a reply's recipients): re-rendering each keystroke's value would
    // overwrite letters typed while the circuit answers.
    private string _rendered = "";
    private string _typed = "";

    [Inject] private RecipientSuggestions Suggestions { get; set; } = default!;

    [Parameter, EditorRequired] public string Label { get; set; } = "";
    [Parameter, EditorRequired] public string TestId { get; set; } = "";
    [Parameter] public string Value { get; set; } = "";
    [Parameter] public EventCallback<string> ValueChanged { get; set; }

    private bool Open => _items.Count > 0;

    protected override void OnParametersSet()
    {
        if (Value != _typed)
        {
            _rendered = _typed = Value;
        }
    }

    private async Task OnInput(ChangeEventArgs e)
    {
        Value = _typed = e.Value as string ?? "";
        await ValueChanged.InvokeAsync(Value);
        _pending?.Cancel();
        _pending?.Dispose();
        var pending = _pending = new CancellationTokenSource();
        var term = CurrentTerm(Value);
        try
        {
            var items = await Suggestions.SuggestAsync(term, cancellationToken: pending.Token);
            if (!pending.IsCancellationRequested)
            {
                _items = items;
                _active = items.Count > 0 ? 0 : -1;
            }
        }
        catch (OperationCanceledException)
        {
            // a newer keystroke asks again
        }
    }

    private async Task OnKey(KeyboardEventArgs e)
    {
        if (!Open)
        {
            return;
        }
        switch (e.Key)
        {
            case "ArrowDown":
                _active = (_active + 1) % _items.Count;
                break;
            case "ArrowUp":
                _active = (_active - 1 + _items.Count) % _items.Count;
                break;
            case "Enter" or "Tab" when _active >= 0:
                await Choose(_active);
                break;
            case "Escape":
                Close();
                break;
        }
    }

    private void OnBlur(FocusEventArgs e) => Close();

    private async Task Choose(int index)
    {
        if (index < 0 || index >= _items.Count)
        {
            return;
        }
        var chosen = _items[index].ToFieldText();
        var cut = Math.Max(Value.LastIndexOf(','), Value.LastIndexOf(';'));
        var head = cut < 0 ? "" : Value[..(cut + 1)].TrimEnd() + " ";
        Value = _typed = _rendered = head + chosen + ", ";
        Close();
        await ValueChanged.InvokeAsync(Value);
    }

    private void Close()
    {
        _pending?.Cancel();
        _items = [];
        _active = -1;
    }

    /// <summary>The address being typed: what follows the last separator.</summary>
    internal static string CurrentTerm(string value)
    {
        var cut = Math.Max(value.LastIndexOf(','), value.LastIndexOf(';'));
        return (cut < 0 ? value : value[(cut + 1)..]).Trim();
    }

    public void Dispose()
    {
        _pending?.Cancel();
        _pending?.Dispose();
    }
}
