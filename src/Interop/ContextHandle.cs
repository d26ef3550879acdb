namespace Rewind.Interop;

/// <summary>Owns one <c>rwd_context</c>; releasing it calls <c>rwd_context_destroy</c>.</summary>
internal sealed class ContextHandle : RewindHandle
{
    /// <summary>Creates an invalid handle; the marshaller fills it from an out parameter.</summary>
    public ContextHandle()
    {
    }

    protected override void Destroy(nint native) => NativeMethods.ContextDestroy(native);
}
