using System.Globalization;
using System.Text;

namespace MSSante.Infrastructure.HtmlSanitizing;

internal enum CssTokenType
{
    Ident,
    Function,
    AtKeyword,
    Hash,
    String,
    BadString,
    Url,
    BadUrl,
    Number,
    Percentage,
    Dimension,
    Whitespace,
    Delim,
    Colon,
    Semicolon,
    Comma,
    OpenSquare,
    CloseSquare,
    OpenParen,
    CloseParen,
    OpenCurly,
    CloseCurly,
    Cdo,
    Cdc,
}

/// <summary>
/// One CSS token with its escapes already decoded: the sanitiser checks decoded values
/// ("\6a avascript" is "javascript") and re-serialises from them, never from the input text.
/// </summary>
/// <param name="Type">The token type.</param>
/// <param name="Value">Decoded name, string or URL; the number's text for numeric tokens; the character for a delimiter.</param>
/// <param name="Unit">The decoded unit of a dimension.</param>
internal readonly record struct CssToken(CssTokenType Type, string Value, string Unit = "");

/// <summary>A tokenizer following CSS Syntax Level 3 §4 (comments dropped, escapes decoded).</summary>
internal sealed class CssTokenizer
{
    private readonly string _s;
    private int _i;

    private CssTokenizer(string input)
    {
        // CSS Syntax 3 §3.3: preprocess the input stream (most style attributes need nothing).
        _s = input.AsSpan().IndexOfAny('\r', '\f', '\0') < 0
            ? input
            : input.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\f', '\n').Replace('\0', '\uFFFD');
    }

    public static List<CssToken> Tokenize(string input)
    {
        var t = new CssTokenizer(input);
        var list = new List<CssToken>();
        while (t.Next() is { } token)
        {
            list.Add(token);
        }

        return list;
    }

    private char Peek(int offset = 0) => _i + offset < _s.Length ? _s[_i + offset] : '\0';

    private bool AtEnd(int offset = 0) => _i + offset >= _s.Length;

    private CssToken? Next()
    {
        // §4.3.2: comments produce no token.
        while (Peek() == '/' && Peek(1) == '*')
        {
            var end = _s.IndexOf("*/", _i + 2, StringComparison.Ordinal);
            _i = end < 0 ? _s.Length : end + 2;
        }

        if (AtEnd())
        {
            return null;
        }

        var c = _s[_i];
        if (IsWhitespace(c))
        {
            while (!AtEnd() && IsWhitespace(Peek()))
            {
                _i++;
            }

            return new CssToken(CssTokenType.Whitespace, " ");
        }

        switch (c)
        {
            case '"':
            case '\'':
                _i++;
                return ConsumeString(c);
            case '#':
                if (IsNameChar(Peek(1)) || IsValidEscape(1))
                {
                    _i++;
                    return new CssToken(CssTokenType.Hash, ConsumeName());
                }

                _i++;
                return Delim(c);
            case '(':
                _i++;
                return new CssToken(CssTokenType.OpenParen, "(");
            case ')':
                _i++;
                return new CssToken(CssTokenType.CloseParen, ")");
            case '[':
                _i++;
                return new CssToken(CssTokenType.OpenSquare, "[");
            case ']':
                _i++;
                return new CssToken(CssTokenType.CloseSquare, "]");
            case '{':
                _i++;
                return new CssToken(CssTokenType.OpenCurly, "{");
            case '}':
                _i++;
                return new CssToken(CssTokenType.CloseCurly, "}");
            case ',':
                _i++;
                return new CssToken(CssTokenType.Comma, ",");
            case ':':
                _i++;
                return new CssToken(CssTokenType.Colon, ":");
            case ';':
                _i++;
                return new CssToken(CssTokenType.Semicolon, ";");
            case '+':
            case '.':
                if (StartsNumber(0))
                {
                    return ConsumeNumeric();
                }

                _i++;
                return Delim(c);
            case '-':
                if (StartsNumber(0))
                {
                    return ConsumeNumeric();
                }

                if (Peek(1) == '-' && Peek(2) == '>')
                {
                    _i += 3;
                    return new CssToken(CssTokenType.Cdc, "-->");
                }

                if (StartsIdentifier(0))
                {
                    return ConsumeIdentLike();
                }

                _i++;
                return Delim(c);
            case '<':
                if (Peek(1) == '!' && Peek(2) == '-' && Peek(3) == '-')
                {
                    _i += 4;
                    return new CssToken(CssTokenType.Cdo, "<!--");
                }

                _i++;
                return Delim(c);
            case '@':
                if (StartsIdentifier(1))
                {
                    _i++;
                    return new CssToken(CssTokenType.AtKeyword, ConsumeName());
                }

                _i++;
                return Delim(c);
            case '\\':
                if (IsValidEscape(0))
                {
                    return ConsumeIdentLike();
                }

                _i++;
                return Delim(c);
        }

        if (char.IsAsciiDigit(c))
        {
            return ConsumeNumeric();
        }

        if (IsNameStart(c))
        {
            return ConsumeIdentLike();
        }

        _i++;
        return Delim(c);
    }

    private static CssToken Delim(char c) => new(CssTokenType.Delim, c.ToString());

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n';

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsNameChar(char c) => IsNameStart(c) || char.IsAsciiDigit(c) || c == '-';

    // §4.3.8
    private bool IsValidEscape(int offset) => Peek(offset) == '\\' && !AtEnd(offset + 1) && Peek(offset + 1) != '\n';

    // §4.3.9
    private bool StartsIdentifier(int offset)
    {
        var c = Peek(offset);
        if (c == '-')
        {
            var d = Peek(offset + 1);
            return (!AtEnd(offset + 1) && (IsNameStart(d) || d == '-')) || IsValidEscape(offset + 1);
        }

        if (c == '\\')
        {
            return IsValidEscape(offset);
        }

        return !AtEnd(offset) && IsNameStart(c);
    }

    // §4.3.10
    private bool StartsNumber(int offset)
    {
        var c = Peek(offset);
        if (c is '+' or '-')
        {
            var d = Peek(offset + 1);
            return char.IsAsciiDigit(d) || (d == '.' && char.IsAsciiDigit(Peek(offset + 2)));
        }

        if (c == '.')
        {
            return char.IsAsciiDigit(Peek(offset + 1));
        }

        return char.IsAsciiDigit(c);
    }

    // §4.3.7
    private string ConsumeEscape()
    {
        // The backslash is already consumed.
        if (AtEnd())
        {
            return "\uFFFD";
        }

        var c = _s[_i];
        if (char.IsAsciiHexDigit(c))
        {
            var start = _i;
            while (_i - start < 6 && !AtEnd() && char.IsAsciiHexDigit(Peek()))
            {
                _i++;
            }

            var value = int.Parse(_s.AsSpan(start, _i - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (!AtEnd() && IsWhitespace(Peek()))
            {
                _i++;
            }

            if (value == 0 || value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
            {
                return "\uFFFD";
            }

            return char.ConvertFromUtf32(value);
        }

        _i++;
        return c.ToString();
    }

    // §4.3.11
    private string ConsumeName()
    {
        // Without escapes the name is a slice of the input.
        var start = _i;
        while (!AtEnd() && IsNameChar(_s[_i]))
        {
            _i++;
        }

        if (!IsValidEscape(0))
        {
            return _s.Substring(start, _i - start);
        }

        var sb = new StringBuilder().Append(_s, start, _i - start);
        while (!AtEnd())
        {
            var c = Peek();
            if (IsNameChar(c))
            {
                sb.Append(c);
                _i++;
            }
            else if (IsValidEscape(0))
            {
                _i++;
                sb.Append(ConsumeEscape());
            }
            else
            {
                break;
            }
        }

        return sb.ToString();
    }

    // §4.3.3
    private CssToken ConsumeNumeric()
    {
        var start = _i;
        if (Peek() is '+' or '-')
        {
            _i++;
        }

        while (char.IsAsciiDigit(Peek()))
        {
            _i++;
        }

        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _i += 2;
            while (char.IsAsciiDigit(Peek()))
            {
                _i++;
            }
        }

        if (Peek() is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            _i += 2;
            while (char.IsAsciiDigit(Peek()))
            {
                _i++;
            }
        }

        var number = _s[start.._i];
        if (StartsIdentifier(0))
        {
            return new CssToken(CssTokenType.Dimension, number, ConsumeName());
        }

        if (Peek() == '%')
        {
            _i++;
            return new CssToken(CssTokenType.Percentage, number);
        }

        return new CssToken(CssTokenType.Number, number);
    }

    // §4.3.4
    private CssToken ConsumeIdentLike()
    {
        var name = ConsumeName();
        if (string.Equals(name, "url", StringComparison.OrdinalIgnoreCase) && Peek() == '(')
        {
            _i++;
            while (IsWhitespace(Peek()) && IsWhitespace(Peek(1)))
            {
                _i++;
            }

            var next = IsWhitespace(Peek()) ? Peek(1) : Peek();
            if (next is '"' or '\'')
            {
                return new CssToken(CssTokenType.Function, name);
            }

            return ConsumeUrl();
        }

        if (Peek() == '(')
        {
            _i++;
            return new CssToken(CssTokenType.Function, name);
        }

        return new CssToken(CssTokenType.Ident, name);
    }

    // §4.3.5
    private CssToken ConsumeString(char quote)
    {
        // Without escapes or a newline the string is a slice of the input.
        var start = _i;
        while (!AtEnd() && _s[_i] != quote && _s[_i] != '\n' && _s[_i] != '\\')
        {
            _i++;
        }

        if (AtEnd() || _s[_i] == quote)
        {
            var value = _s.Substring(start, _i - start);
            if (!AtEnd())
            {
                _i++;
            }

            return new CssToken(CssTokenType.String, value);
        }

        var sb = new StringBuilder().Append(_s, start, _i - start);
        while (!AtEnd())
        {
            var c = _s[_i];
            if (c == quote)
            {
                _i++;
                return new CssToken(CssTokenType.String, sb.ToString());
            }

            if (c == '\n')
            {
                return new CssToken(CssTokenType.BadString, sb.ToString());
            }

            if (c == '\\')
            {
                if (AtEnd(1))
                {
                    _i++;
                    continue;
                }

                if (Peek(1) == '\n')
                {
                    _i += 2;
                    continue;
                }

                _i++;
                sb.Append(ConsumeEscape());
                continue;
            }

            sb.Append(c);
            _i++;
        }

        return new CssToken(CssTokenType.String, sb.ToString());
    }

    // §4.3.6
    private CssToken ConsumeUrl()
    {
        var sb = new StringBuilder();
        while (IsWhitespace(Peek()))
        {
            _i++;
        }

        while (true)
        {
            if (AtEnd())
            {
                return new CssToken(CssTokenType.Url, sb.ToString());
            }

            var c = _s[_i];
            if (c == ')')
            {
                _i++;
                return new CssToken(CssTokenType.Url, sb.ToString());
            }

            if (IsWhitespace(c))
            {
                while (IsWhitespace(Peek()))
                {
                    _i++;
                }

                if (AtEnd() || Peek() == ')')
                {
                    if (!AtEnd())
                    {
                        _i++;
                    }

                    return new CssToken(CssTokenType.Url, sb.ToString());
                }

                ConsumeBadUrlRemnants();
                return new CssToken(CssTokenType.BadUrl, "");
            }

            if (c is '"' or '\'' or '(' || c < 0x20 && c != '\t' || c == 0x7F)
            {
                ConsumeBadUrlRemnants();
                return new CssToken(CssTokenType.BadUrl, "");
            }

            if (c == '\\')
            {
                if (IsValidEscape(0))
                {
                    _i++;
                    sb.Append(ConsumeEscape());
                    continue;
                }

                ConsumeBadUrlRemnants();
                return new CssToken(CssTokenType.BadUrl, "");
            }

            sb.Append(c);
            _i++;
        }
    }

    // §4.3.14
    private void ConsumeBadUrlRemnants()
    {
        while (!AtEnd())
        {
            var c = _s[_i];
            if (c == ')')
            {
                _i++;
                return;
            }

            if (IsValidEscape(0))
            {
                _i++;
                ConsumeEscape();
                continue;
            }

            _i++;
        }
    }
}
