using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>Settings of section <c>ReadingPane</c>: the per-host cache of rendered message documents.</summary>
public sealed class MessageDocumentCacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReadingPane";

    /// <summary>
    /// Memory the cache may hold on this host, in megabytes (documents are counted at two bytes
    /// per character, the sanitised fragment and the iframe document both); 0 turns it off.
    /// </summary>
    [Range(0, 64 * 1024)]
    public int DocumentCacheMegabytes { get; set; } = 64;

    /// <summary>A document not opened again for this long leaves the cache.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan DocumentCacheIdleTime { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Identifies one rendered document. The document depends only on the message's bytes and the
/// remote-content choice (<see cref="MessageHtmlRenderer.Render"/> is a pure function of them);
/// the person and the IMAP account are part of the key so that no one is ever served a document
/// cached for someone else (not even as a timing difference), whatever the folder names.
/// </summary>
/// <param name="User">The signed-in person (idNat).</param>
/// <param name="Account">The mailbox the IMAP connection is authenticated as.</param>
/// <param name="Folder">The IMAP folder name (delegated mailboxes appear under <c>shared/</c>).</param>
/// <param name="Uid">The message's UID in that folder.</param>
/// <param name="ContentDigest">SHA-256 of the message's raw bytes, in hexadecimal.</param>
/// <param name="AllowRemoteContent">The remote-content choice the document was rendered with.</param>
/// <remarks>
/// The digest stands where UIDVALIDITY would: a UID given to another message after the folder
/// was recreated, or a message replaced under the same UID, has other bytes, so a cached
/// document can never be shown for a message it was not made from.
/// </remarks>
public sealed record MessageDocumentKey(string User, string Account, string Folder, uint Uid, string ContentDigest, bool AllowRemoteContent)
{
    /// <summary>The key of <paramref name="rawMessage"/> (the bytes the server returned for BODY[]).</summary>
    public static MessageDocumentKey For(string user, string account, string folder, uint uid, ReadOnlySpan<byte> rawMessage, bool allowRemoteContent) =>
        new(user, account, folder, uid, Convert.ToHexString(SHA256.HashData(rawMessage)), allowRemoteContent);
}

/// <summary>
/// Rendered reading-pane documents kept in this host's memory, bounded by size, so that opening
/// a message again costs only its fetch. Thread-safe; one instance per host.
/// </summary>
public sealed class MessageDocumentCache : IDisposable
{
    // Per entry besides the strings: the key, the records, the cache's own bookkeeping.
    private const long EntryOverheadBytes = 512;

    private readonly MemoryCache? _cache;
    private readonly TimeSpan _idleTime;
    private readonly long _maxEntryBytes;

    /// <summary>Creates the cache with the given settings.</summary>
    public MessageDocumentCache(IOptions<MessageDocumentCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limit = (long)options.Value.DocumentCacheMegabytes * 1024 * 1024;
        _idleTime = options.Value.DocumentCacheIdleTime;
        if (limit > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = limit, TrackStatistics = true });
            // One huge message (inline images become data: URLs) must not empty the cache of everyone else.
            _maxEntryBytes = Math.Max(limit / 8, 1);
        }
    }

    /// <summary>False when the settings turned the cache off.</summary>
    public bool Enabled => _cache is not null;

    /// <summary>The estimated bytes held now.</summary>
    public long SizeBytes => _cache?.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>How many documents are held now.</summary>
    public long Count => _cache?.Count ?? 0;

    /// <summary>The cached document for <paramref name="key"/>, else the one <paramref name="render"/> makes (then kept if it fits).</summary>
    public MessageHtmlView GetOrRender(MessageDocumentKey key, Func<MessageHtmlView> render)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(render);
        if (_cache is null)
        {
            return render();
        }

        if (_cache.TryGetValue(key, out MessageHtmlView? cached) && cached is not null)
        {
            return cached;
        }

        var view = render();
        var size = SizeOf(view);
        if (size <= _maxEntryBytes)
        {
            _cache.Set(key, view, new MemoryCacheEntryOptions { Size = size, SlidingExpiration = _idleTime });
        }

        return view;
    }

    /// <summary>The cached document for <paramref name="key"/>, if any.</summary>
    public bool TryGet(MessageDocumentKey key, out MessageHtmlView? view)
    {
        ArgumentNullException.ThrowIfNull(key);
        view = null;
        return _cache is not null && _cache.TryGetValue(key, out view) && view is not null;
    }

    /// <summary>What an entry is counted for: its strings at two bytes per character, plus bookkeeping.</summary>
    public static long SizeOf(MessageHtmlView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        long chars = view.Document.Length + view.Sanitized.Html.Length;
        foreach (var cid in view.Sanitized.CidReferences)
        {
            chars += cid.Length;
        }

        return (chars * sizeof(char)) + EntryOverheadBytes;
    }

    /// <inheritdoc />
    public void Dispose() => _cache?.Dispose();
}
