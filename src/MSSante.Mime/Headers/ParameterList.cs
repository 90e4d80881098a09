using System.Collections;
using System.Text;
using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>
/// Parameters of a Content-Type or Content-Disposition field, with RFC 2231 continuations and
/// charsets resolved and RFC 2047 encoded words inside quoted values decoded (old clients).
/// </summary>
public sealed class ParameterList : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    /// <summary>Number of distinct parameters.</summary>
    public int Count => _items.Count;

    /// <summary>The decoded value of a parameter (case-insensitive name), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var kv in _items)
            {
                if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return kv.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Sets a parameter, replacing a previous value of the same name.</summary>
    public void Set(string name, string value)
    {
        _items.RemoveAll(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));
        _items.Add(new(name, value));
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Parses <c>; name=value ...</c> from <paramref name="pos"/> in an unfolded header value.</summary>
    internal static ParameterList Parse(string s, int pos)
    {
        var raw = new List<(string Name, string Value, bool Quoted)>();
        while (pos < s.Length)
        {
            while (pos < s.Length && (s[pos] == ';' || char.IsWhiteSpace(s[pos])))
            {
                pos++;
            }

            if (pos < s.Length && s[pos] == '(')
            {
                pos = SkipComment(s, pos);
                continue;
            }

            var nameStart = pos;
            while (pos < s.Length && s[pos] != '=' && s[pos] != ';')
            {
                pos++;
            }

            var name = s[nameStart..pos].Trim();
            if (pos >= s.Length || s[pos] == ';')
            {
                continue;
            }

            pos++; // '='
            while (pos < s.Length && char.IsWhiteSpace(s[pos]))
            {
                pos++;
            }

            string value;
            var quoted = false;
            if (pos < s.Length && s[pos] == '"')
            {
                quoted = true;
                var sb = new StringBuilder();
                pos++;
                while (pos < s.Length && s[pos] != '"')
                {
                    if (s[pos] == '\\' && pos + 1 < s.Length)
                    {
                        pos++;
                    }

                    sb.Append(s[pos++]);
                }

                pos++;
                value = sb.ToString();
                // Text after the closing quote up to ';' is junk; skip it.
                while (pos < s.Length && s[pos] != ';')
                {
                    pos++;
                }
            }
            else
            {
                var valueStart = pos;
                while (pos < s.Length && s[pos] != ';')
                {
                    pos++;
                }

                value = s[valueStart..pos].Trim();
            }

            if (name.Length > 0)
            {
                raw.Add((name, value, quoted));
            }
        }

        return Combine(raw);
    }

    private static int SkipComment(string s, int pos)
    {
        var depth = 0;
        for (; pos < s.Length; pos++)
        {
            if (s[pos] == '\\')
            {
                pos++;
            }
            else if (s[pos] == '(')
            {
                depth++;
            }
            else if (s[pos] == ')' && --depth == 0)
            {
                return pos + 1;
            }
        }

        return pos;
    }

    // RFC 2231 §3 (continuations) and §4 (charset'language'percent-encoded value).
    private static ParameterList Combine(List<(string Name, string Value, bool Quoted)> raw)
    {
        var list = new ParameterList();
        if (raw.TrueForAll(r => !r.Name.Contains('*', StringComparison.Ordinal)))
        {
            // The common case, no RFC 2231 syntax: keep the first value of each name.
            var names = raw.Count > 8 ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null;
            foreach (var (name, value, _) in raw)
            {
                if (names?.Add(name) ?? list[name] is null)
                {
                    list._items.Add(new(name, value.Contains("=?", StringComparison.Ordinal) ? EncodedWords.Decode(value) : value));
                }
            }

            return list;
        }

        var plain = new Dictionary<string, (string Name, string Value)>(StringComparer.OrdinalIgnoreCase);
        var extended = new Dictionary<string, List<(int Index, bool Encoded, string Value)>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value, _) in raw)
        {
            var star = name.IndexOf('*', StringComparison.Ordinal);
            if (star < 0)
            {
                // The first occurrence wins, as in most clients.
                plain.TryAdd(name, (name, value));
                if (seen.Add(name))
                {
                    order.Add(name);
                }

                continue;
            }

            var baseName = name[..star];
            var rest = name[(star + 1)..];
            var encoded = rest.EndsWith('*') || rest.Length == 0;
            var indexText = rest.TrimEnd('*');
            var index = 0;
            if (indexText.Length > 0 && !int.TryParse(indexText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index))
            {
                plain.TryAdd(name, (name, value));
                if (seen.Add(name))
                {
                    order.Add(name);
                }

                continue;
            }

            if (!extended.TryGetValue(baseName, out var segments))
            {
                extended[baseName] = segments = [];
            }

            if (seen.Add(baseName))
            {
                order.Add(baseName);
            }

            segments.Add((index, encoded, value));
        }

        foreach (var name in order)
        {
            if (extended.TryGetValue(name, out var segments))
            {
                list._items.Add(new(name, DecodeExtended(segments)));
                continue;
            }

            var (n, v) = plain[name];
            list._items.Add(new(n, v.Contains("=?", StringComparison.Ordinal) ? EncodedWords.Decode(v) : v));
        }

        return list;
    }

    private static string DecodeExtended(List<(int Index, bool Encoded, string Value)> segments)
    {
        segments.Sort((a, b) => a.Index.CompareTo(b.Index));
        string? charset = null;
        var bytes = new List<byte>();
        for (var i = 0; i < segments.Count; i++)
        {
            var (_, encoded, value) = segments[i];
            if (i > 0 && segments[i].Index == segments[i - 1].Index)
            {
                continue;
            }

            if (encoded)
            {
                if (i == 0)
                {
                    var q1 = value.IndexOf('\'', StringComparison.Ordinal);
                    var q2 = q1 < 0 ? -1 : value.IndexOf('\'', q1 + 1);
                    if (q2 >= 0)
                    {
                        charset = value[..q1];
                        value = value[(q2 + 1)..];
                    }
                }

                PercentDecode(value, bytes);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value));
            }
        }

        return Charsets.Decode(bytes.ToArray(), string.IsNullOrEmpty(charset) ? "utf-8" : charset, out _, out _);
    }

    private static void PercentDecode(string value, List<byte> bytes)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && Bytes.HexValue((byte)value[i + 1]) >= 0 && value[i + 1] < 128 && value[i + 2] < 128 && Bytes.HexValue((byte)value[i + 2]) >= 0)
            {
                bytes.Add((byte)((Bytes.HexValue((byte)value[i + 1]) << 4) | Bytes.HexValue((byte)value[i + 2])));
                i += 2;
            }
            else if (c < 128)
            {
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
    }
}
