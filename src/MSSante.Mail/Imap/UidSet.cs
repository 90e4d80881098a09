using System.Globalization;
using System.Text;

namespace MSSante.Mail.Imap;

/// <summary>
/// A set of UIDs (or sequence numbers) in the IMAP sequence-set syntax (RFC 9051 §9,
/// <c>sequence-set</c>): ranges, and <c>*</c> for "the largest in use".
/// </summary>
public sealed class UidSet
{
    private readonly List<(uint Start, uint End)> _ranges; // End == 0 means '*'

    private UidSet(List<(uint, uint)> ranges) => _ranges = ranges;

    /// <summary>Every message: <c>1:*</c>.</summary>
    public static UidSet All { get; } = new([(1u, 0u)]);

    /// <summary>From <paramref name="first"/> to the last message: <c>n:*</c>.</summary>
    public static UidSet From(uint first) => new([(Math.Max(1u, first), 0u)]);

    /// <summary>A compact set from individual UIDs (sorted, consecutive values merged into ranges).</summary>
    public static UidSet Of(IEnumerable<uint> uids)
    {
        var sorted = uids.Where(u => u != 0).Distinct().Order().ToList();
        var ranges = new List<(uint, uint)>();
        foreach (var u in sorted)
        {
            if (ranges.Count > 0 && ranges[^1].Item2 + 1 == u)
            {
                ranges[^1] = (ranges[^1].Item1, u);
            }
            else
            {
                ranges.Add((u, u));
            }
        }
        return new UidSet(ranges);
    }

    /// <summary>A set of one UID.</summary>
    public static UidSet Of(params uint[] uids) => Of((IEnumerable<uint>)uids);

    /// <summary>Parses the wire syntax (as in COPYUID, ESEARCH ALL, VANISHED).</summary>
    public static UidSet Parse(string text)
    {
        var ranges = new List<(uint, uint)>();
        foreach (var part in text.Split(','))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                ranges.Add(part == "*" ? (0u, 0u) : (Num(part), Num(part)));
            }
            else
            {
                var a = part[..colon];
                var b = part[(colon + 1)..];
                if (b == "*")
                {
                    ranges.Add((Num(a), 0u));
                }
                else
                {
                    var x = Num(a);
                    var y = Num(b);
                    ranges.Add((Math.Min(x, y), Math.Max(x, y)));
                }
            }
        }
        return new UidSet(ranges);

        static uint Num(string s) => uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new FormatException("Invalid sequence set element: " + s);
    }

    /// <summary>True when the set has no element.</summary>
    public bool IsEmpty => _ranges.Count == 0;

    /// <summary>True when the set contains <c>*</c> and so cannot be enumerated.</summary>
    public bool IsOpenEnded => _ranges.Exists(r => r.End == 0);

    /// <summary>The UIDs, for a set without <c>*</c>.</summary>
    public IEnumerable<uint> Enumerate()
    {
        foreach (var (start, end) in _ranges)
        {
            if (end == 0)
            {
                throw new InvalidOperationException("An open-ended set cannot be enumerated.");
            }
            for (var u = start; u <= end && u != 0; u++)
            {
                yield return u;
                if (u == uint.MaxValue)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The number of UIDs, for a set without <c>*</c>.</summary>
    public long Count => _ranges.Sum(r => r.End == 0 ? 1L : (long)r.End - r.Start + 1);

    /// <summary>The wire form.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (start, end) in _ranges)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            sb.Append(start == 0 ? "*" : start.ToString(CultureInfo.InvariantCulture));
            if (end != start)
            {
                sb.Append(':').Append(end == 0 ? "*" : end.ToString(CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}
