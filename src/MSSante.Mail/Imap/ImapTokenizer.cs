using System.Globalization;
using System.Text;

namespace MSSante.Mail.Imap;

/// <summary>
/// Reads the tokens of one complete server response (RFC 9051 §9 grammar) from memory. The
/// response reader has already gathered the response lines and the bytes of every literal, so
/// parsing never waits on the network; a literal appears in the buffer as <c>{n}</c> CRLF followed
/// by its n bytes, exactly as sent on the wire.
/// </summary>
internal sealed class ImapTokenizer
{
    private readonly byte[] _data;
    private readonly int _length;
    private int _pos;

    public ImapTokenizer(byte[] data, int length)
    {
        _data = data;
        _length = length;
    }

    public int Position => _pos;

    public bool AtEnd => _pos >= _length;

    public ImapProtocolException Error(string what)
        => new($"Malformed server response ({what}) near: " + ProtocolText.Printable(_data.AsSpan(Math.Max(0, _pos - 40), Math.Min(80, _length - Math.Max(0, _pos - 40)))));

    public byte Peek() => _pos < _length ? _data[_pos] : (byte)0;

    public void SkipSpaces()
    {
        while (_pos < _length && _data[_pos] == (byte)' ')
        {
            _pos++;
        }
    }

    public bool TryConsume(byte b)
    {
        SkipSpaces();
        if (_pos < _length && _data[_pos] == b)
        {
            _pos++;
            return true;
        }
        return false;
    }

    public void Expect(byte b)
    {
        if (!TryConsume(b))
        {
            throw Error($"expected '{(char)b}'");
        }
    }

    private static bool IsAtomEnd(byte b)
        => b is (byte)' ' or (byte)'(' or (byte)')' or (byte)'{' or (byte)'"' or (byte)'[' or (byte)']' or (byte)'\r' or (byte)'\n' or < 0x20 or 0x7f;

    /// <summary>An atom (flags such as <c>\Seen</c> and <c>\*</c> included).</summary>
    public string ReadAtom()
    {
        SkipSpaces();
        var start = _pos;
        while (_pos < _length && !IsAtomEnd(_data[_pos]))
        {
            _pos++;
        }
        if (_pos == start)
        {
            throw Error("expected an atom");
        }
        return Encoding.ASCII.GetString(_data, start, _pos - start);
    }

    /// <summary>An atom, allowing the bracketed body section of fetch attribute names (<c>BODY[1.2]&lt;0&gt;</c>).</summary>
    public string ReadFetchAttributeName()
    {
        SkipSpaces();
        var start = _pos;
        while (_pos < _length && !IsAtomEnd(_data[_pos]))
        {
            _pos++;
        }
        if (_pos < _length && _data[_pos] == (byte)'[')
        {
            var depth = 0;
            while (_pos < _length)
            {
                var b = _data[_pos++];
                if (b == (byte)'[')
                {
                    depth++;
                }
                else if (b == (byte)']' && --depth == 0)
                {
                    break;
                }
            }
            if (depth != 0)
            {
                throw Error("unterminated section");
            }
            if (_pos < _length && _data[_pos] == (byte)'<')
            {
                while (_pos < _length && _data[_pos] != (byte)'>')
                {
                    _pos++;
                }
                _pos++;
            }
        }
        if (_pos == start)
        {
            throw Error("expected a fetch attribute");
        }
        return Encoding.ASCII.GetString(_data, start, Math.Min(_pos, _length) - start);
    }

    public bool IsNil()
    {
        SkipSpaces();
        if (_pos + 3 <= _length
            && (_data[_pos] | 0x20) == 'n' && (_data[_pos + 1] | 0x20) == 'i' && (_data[_pos + 2] | 0x20) == 'l'
            && (_pos + 3 == _length || IsAtomEnd(_data[_pos + 3])))
        {
            _pos += 3;
            return true;
        }
        return false;
    }

    public uint ReadNumber()
    {
        var v = ReadNumber64();
        if (v > uint.MaxValue)
        {
            throw Error("number out of range");
        }
        return (uint)v;
    }

    public ulong ReadNumber64()
    {
        SkipSpaces();
        var start = _pos;
        ulong v = 0;
        while (_pos < _length && _data[_pos] is >= (byte)'0' and <= (byte)'9')
        {
            var next = (v * 10) + (ulong)(_data[_pos] - '0');
            if (next < v || _pos - start > 19)
            {
                throw Error("number too large");
            }
            v = next;
            _pos++;
        }
        if (_pos == start)
        {
            throw Error("expected a number");
        }
        return v;
    }

    public bool PeekIsDigit()
    {
        SkipSpaces();
        return _pos < _length && _data[_pos] is >= (byte)'0' and <= (byte)'9';
    }

    /// <summary>A string (quoted or literal, literal8 included) or NIL as null, or an atom (astring).</summary>
    public ReadOnlySpan<byte> ReadStringBytes(out bool isNil, bool allowAtom = true)
    {
        isNil = false;
        SkipSpaces();
        if (_pos >= _length)
        {
            throw Error("expected a string");
        }
        var b = _data[_pos];
        if (b == (byte)'"')
        {
            return ReadQuoted();
        }
        if (b == (byte)'{' || (b == (byte)'~' && _pos + 1 < _length && _data[_pos + 1] == (byte)'{'))
        {
            return ReadLiteral();
        }
        if (IsNil())
        {
            isNil = true;
            return default;
        }
        if (!allowAtom)
        {
            throw Error("expected a string");
        }
        var start = _pos;
        while (_pos < _length && (!IsAtomEnd(_data[_pos]) || _data[_pos] == (byte)']'))
        {
            _pos++;
        }
        if (_pos == start)
        {
            throw Error("expected a string");
        }
        return _data.AsSpan(start, _pos - start);
    }

    private byte[]? _unescaped;

    private ReadOnlySpan<byte> ReadQuoted()
    {
        _pos++; // opening quote
        var start = _pos;
        var escaped = false;
        while (true)
        {
            if (_pos >= _length)
            {
                throw Error("unterminated quoted string");
            }
            var b = _data[_pos];
            if (b == (byte)'\\')
            {
                escaped = true;
                _pos += 2;
                continue;
            }
            if (b == (byte)'"')
            {
                break;
            }
            if (b is (byte)'\r' or (byte)'\n')
            {
                throw Error("line end inside a quoted string");
            }
            _pos++;
        }
        var raw = _data.AsSpan(start, _pos - start);
        _pos++;
        if (!escaped)
        {
            return raw;
        }
        if (_unescaped is null || _unescaped.Length < raw.Length)
        {
            _unescaped = new byte[Math.Max(raw.Length, 256)];
        }
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\\' && i + 1 < raw.Length)
            {
                i++;
            }
            _unescaped[n++] = raw[i];
        }
        return _unescaped.AsSpan(0, n);
    }

    private ReadOnlySpan<byte> ReadLiteral()
    {
        if (_data[_pos] == (byte)'~')
        {
            _pos++; // literal8 (RFC 3516)
        }
        _pos++; // {
        var size = ReadNumber64();
        TryConsume((byte)'+');
        if (!TryConsume((byte)'}'))
        {
            throw Error("bad literal size");
        }
        if (_pos + 2 > _length || _data[_pos] != (byte)'\r' || _data[_pos + 1] != (byte)'\n')
        {
            throw Error("literal size not at line end");
        }
        _pos += 2;
        if (size > (ulong)(_length - _pos))
        {
            throw Error("truncated literal");
        }
        var span = _data.AsSpan(_pos, (int)size);
        _pos += (int)size;
        return span;
    }

    public string? ReadNString()
    {
        var bytes = ReadStringBytes(out var nil);
        return nil ? null : Encoding.UTF8.GetString(bytes);
    }

    public string ReadAString()
    {
        var bytes = ReadStringBytes(out var nil);
        return nil ? "NIL" : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Skips one value of any shape (atom, string, literal, nested list) for attributes we do not use.</summary>
    public void SkipValue()
    {
        SkipSpaces();
        if (_pos >= _length)
        {
            throw Error("expected a value");
        }
        if (_data[_pos] == (byte)'(')
        {
            _pos++;
            while (!TryConsume((byte)')'))
            {
                if (AtEnd)
                {
                    throw Error("unterminated list");
                }
                SkipValue();
            }
            return;
        }
        if (_data[_pos] == (byte)'[')
        {
            var close = Array.IndexOf(_data, (byte)']', _pos, _length - _pos);
            if (close < 0)
            {
                throw Error("unterminated bracket");
            }
            _pos = close + 1;
            return;
        }
        ReadStringBytes(out _);
    }

    /// <summary>The rest of the response as text (resp-text), leading space skipped.</summary>
    public string ReadRest()
    {
        SkipSpaces();
        var s = Encoding.UTF8.GetString(_data, _pos, _length - _pos);
        _pos = _length;
        return s;
    }

    /// <summary>Reads <c>[CODE args]</c> if present (RFC 9051 §7.1) and returns code and raw arguments.</summary>
    public (string? Code, string? Args) ReadResponseCode()
    {
        SkipSpaces();
        if (Peek() != (byte)'[')
        {
            return (null, null);
        }
        _pos++;
        var start = _pos;
        while (_pos < _length && !IsAtomEnd(_data[_pos]))
        {
            _pos++;
        }
        var code = Encoding.ASCII.GetString(_data, start, _pos - start).ToUpperInvariant();
        string? args = null;
        SkipSpaces();
        var argStart = _pos;
        var depth = 0;
        while (_pos < _length && !(depth == 0 && _data[_pos] == (byte)']'))
        {
            if (_data[_pos] == (byte)'(')
            {
                depth++;
            }
            else if (_data[_pos] == (byte)')')
            {
                depth--;
            }
            _pos++;
        }
        if (_pos > argStart)
        {
            args = Encoding.UTF8.GetString(_data, argStart, _pos - argStart);
        }
        if (_pos < _length)
        {
            _pos++; // ]
        }
        return (code, args);
    }

    /// <summary>A parenthesised list of atoms (flags, capabilities in lists), or NIL as empty.</summary>
    public List<string> ReadAtomList()
    {
        var list = new List<string>();
        if (IsNil())
        {
            return list;
        }
        Expect((byte)'(');
        while (!TryConsume((byte)')'))
        {
            if (AtEnd)
            {
                throw Error("unterminated list");
            }
            list.Add(ReadAtomOrString());
        }
        return list;
    }

    public string ReadAtomOrString()
    {
        SkipSpaces();
        var b = Peek();
        return b is (byte)'"' or (byte)'{' or (byte)'~' ? ReadAString() : ReadAtom();
    }

    public static uint ParseUInt(string s) => uint.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
}
