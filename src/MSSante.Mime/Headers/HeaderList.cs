using System.Collections;

namespace MSSante.Mime;

/// <summary>The header fields of a message or a part, in their original order.</summary>
public sealed class HeaderList : IReadOnlyList<Header>
{
    private readonly List<Header> _headers;

    /// <summary>Creates an empty list.</summary>
    public HeaderList() => _headers = [];

    internal HeaderList(List<Header> headers) => _headers = headers;

    /// <inheritdoc />
    public int Count => _headers.Count;

    /// <inheritdoc />
    public Header this[int index] => _headers[index];

    /// <summary>The decoded value of the first field with this name, or null.</summary>
    public string? this[string name] => Get(name)?.Value;

    /// <summary>The first field with this name (case-insensitive), or null.</summary>
    public Header? Get(string name)
    {
        foreach (var h in _headers)
        {
            if (h.Is(name))
            {
                return h;
            }
        }

        return null;
    }

    /// <summary>Every field with this name, in order.</summary>
    public IEnumerable<Header> GetAll(string name) => _headers.Where(h => h.Is(name));

    /// <summary>True when at least one field has this name.</summary>
    public bool Contains(string name) => Get(name) is not null;

    /// <summary>Appends a field.</summary>
    public void Add(Header header) => _headers.Add(header);

    /// <summary>Appends a field whose value is given as text (ASCII or, for SMTPUTF8 output, UTF-8).</summary>
    public void Add(string name, string value) => _headers.Add(new Header(name, System.Text.Encoding.UTF8.GetBytes(" " + value)));

    /// <summary>Removes every field with this name; returns how many were removed.</summary>
    public int RemoveAll(string name) => _headers.RemoveAll(h => h.Is(name));

    /// <inheritdoc />
    public IEnumerator<Header> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
