namespace MSSante.Infrastructure.Persistence.DataProtection;

/// <summary>One XML element of the Data Protection key ring (a key or a revocation).</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    /// <summary>The name Data Protection gives the element, e.g. <c>key-&lt;guid&gt;</c>.</summary>
    public string? FriendlyName { get; set; }

    /// <summary>The element as XML. Keys are encrypted at rest only if a key protector is set.</summary>
    public string Xml { get; set; } = "";
}
