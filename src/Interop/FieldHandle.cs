namespace Rewind.Interop;

/// <summary>Owns one <c>rwd_field</c>; releasing it calls <c>rwd_field_destroy</c>.</summary>
internal sealed class FieldHandle : RewindHandle
{
    /// <summary>Creates an invalid handle; the marshaller fills it from an out parameter.</summary>
    public FieldHandle()
    {
    }

    protected override void Destroy(nint native) => NativeMethods.FieldDestroy(native);
}
