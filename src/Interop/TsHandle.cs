namespace Rewind.Interop;

/// <summary>Owns one <c>rwd_ts</c>; releasing it calls <c>rwd_ts_destroy</c>.</summary>
internal sealed class TsHandle : RewindHandle
{
    /// <summary>Creates an invalid handle; the marshaller fills it from an out parameter.</summary>
    public TsHandle()
    {
    }

    protected override void Destroy(nint native) => NativeMethods.TsDestroy(native);
}
