namespace Rewind.Interop;

/// <summary>
/// Owns one <c>rwd_nn</c>; releasing it calls <c>rwd_nn_destroy</c>. A field made from the network
/// (<c>rwd_nn_field_create</c>) must depend on this handle, so that the network outlives it.
/// </summary>
internal sealed class NnHandle : RewindHandle
{
    /// <summary>Creates an invalid handle; the marshaller fills it from an out parameter.</summary>
    public NnHandle()
    {
    }

    protected override void Destroy(nint native) => NativeMethods.NnDestroy(native);
}
