namespace Rewind.Interop;

/// <summary>Owns one <c>rwd_vec</c>; releasing it calls <c>rwd_vec_destroy</c>.</summary>
internal sealed class VecHandle : RewindHandle
{
    /// <summary>Creates an invalid handle; the marshaller fills it from an out parameter.</summary>
    public VecHandle()
    {
    }

    protected override void Destroy(nint native) => NativeMethods.VecDestroy(native);
}
