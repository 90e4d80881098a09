using System.Runtime.InteropServices;

namespace MSSante.Pkcs11;

/// <summary>An array of CK_ATTRIBUTE with its values in native memory, freed on dispose.</summary>
internal sealed unsafe class NativeTemplate : IDisposable
{
    private readonly IntPtr[] _values;

    public NativeTemplate(NativeLayout layout, IReadOnlyList<Pkcs11Attribute> template)
    {
        var size = layout.AttributeSize;
        Pointer = NativeLayout.Alloc(size * template.Count);
        _values = new IntPtr[template.Count];
        for (var i = 0; i < template.Count; i++)
        {
            var entry = Pointer + (i * size);
            var value = template[i].Value.Span;
            _values[i] = (IntPtr)NativeLayout.Alloc(value.Length);
            value.CopyTo(new Span<byte>((void*)_values[i], value.Length));
            layout.WriteUlong(entry, template[i].Type);
            *(IntPtr*)(entry + layout.AttributeValuePointerOffset) = _values[i];
            layout.WriteUlong(entry + layout.AttributeLengthOffset, (ulong)value.Length);
        }
    }

    public byte* Pointer { get; }

    public void Dispose()
    {
        foreach (var v in _values)
        {
            NativeMemory.Free((void*)v);
        }
        NativeMemory.Free(Pointer);
    }
}
